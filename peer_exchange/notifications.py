"""The emails of peer exchange, one template each, named by `ProposalNotice`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalNotice(models.TextChoices):
    """What a proposal's emails tell: the decision to its proposer, the invitation to voters."""

    ACCEPTED = "accepted", _("proposition acceptée")
    DECLINED = "declined", _("proposition refusée")
    SESSION_INVITATION = "session_invitation", _("invitation à la date retenue")

    @property
    def template(self) -> str:
        """The name `core.mail` renders (`templates/emails/<name>_{subject,body}…`)."""
        return {
            self.ACCEPTED: "peer_exchange_proposal_accepted",
            self.DECLINED: "peer_exchange_proposal_declined",
            self.SESSION_INVITATION: "peer_exchange_session_invitation",
        }[self]
