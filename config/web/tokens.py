"""The one-time links of invitations and password resets."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class AccountTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token, also void once the account is closed: a board member who has left must not
    choose a password from an invitation still in their mailbox (Django's confirm view does not look at
    is_active)."""

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


account_token_generator = AccountTokenGenerator()
