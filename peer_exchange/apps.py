from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerExchangeConfig(AppConfig):
    name = "peer_exchange"
    label = "peer_exchange"
    verbose_name = _("Échanges entre pairs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import my_space, personal_data

        from .personal_data import data_erase, data_export
        from .selectors import proposal_list_for_user

        my_space.register(
            my_space.MySpaceSection(
                key="peer_exchange",
                template="peer_exchange/my_space_section.html",
                context=lambda user: {"proposals": proposal_list_for_user(user=user)},
                order=40,
            )
        )
        personal_data.register(
            personal_data.PersonalDataSection(
                key="peer_exchange",
                export=data_export,
                erase=data_erase,
                models=("peer_exchange.Proposal", "peer_exchange.ProposalVote"),
            )
        )
