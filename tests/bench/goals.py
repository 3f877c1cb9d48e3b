"""What `make bench` holds the application to at national scale."""

# The key pages under 10 clients: the 95th percentile, and the median as a multiple of a trivial page's.
P95_MS = 150
P50_X_FLOOR = 8
# Every page: one client's median, the queries one request runs, the HTML before compression. Downloads
# (a national spreadsheet takes its time and its queries) are exempt.
ONE_CLIENT_MS = 150
QUERIES = 15
HTML_KB = 300
# Each gunicorn worker's resident memory after every page has been requested.
WORKER_RSS_MB = 300
