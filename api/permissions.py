"""Who may see and revoke an API token: its owner only (`ApiToken.objects.of(user)`); another
user gets 404, as for a token that does not exist. What a token may do is its owner's rights,
checked by every endpoint through the other apps' policies."""

from core.permissions import READ, WRITE, Policy

from .models import ApiToken

token_policy = Policy(ApiToken, {READ: "of", WRITE: "of"})
