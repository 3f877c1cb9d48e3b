"""A user's own page of API tokens: create one (shown once), see when each was last used, revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from config.api import actions
from config.api.forms import TokenForm
from config.api.models import ApiToken


@login_required
def api_tokens(request):
    created = None
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        token, raw = actions.create_token(
            navn=form.cleaned_data["navn"], udloeber=form.expiry(), acting_user=request.user
        )
        created = {"token": token, "raw": raw}
        form = TokenForm()
    context = {"form": form, "created": created, "tokens": ApiToken.objects.of(request.user)}
    status = 400 if request.method == "POST" and created is None else 200
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.of(request.user), pk=pk)
    actions.revoke_token(token, acting_user=request.user)
    messages.success(request, f"API-nøglen «{token.navn}» er tilbagekaldt.")
    return redirect("api_tokens")
