from django.http import HttpResponse


def health(request):
    """For the load balancer and docker-compose: answers without touching sessions or login."""
    return HttpResponse("ok", content_type="text/plain")
