"""Fault drills: the application and a real Celery worker when parts of the machinery fail.

- test_celery_worker: a worker subprocess renders an ordered pack; a worker killed mid-render is replaced.
- test_redis_down: with Redis stopped, pages work and orders wait; once it is back they are sent and done.
- test_database_drop: a persistent database connection killed between requests is replaced.

Two users moving one plan at the same moment (exactly one wins, the other is told) is drilled in
tests/helhedsplaner/test_concurrency.py (test_two_users_firing_at_once_one_wins).
"""
