from django.apps import AppConfig


class LoansConfig(AppConfig):
    name = "tutti.loans"
    label = "loans"
    verbose_name = "Instrument library"

    def ready(self) -> None:
        from tutti.core.page_cache import watch
        from tutti.loans.figures import instruments_on_loan
        from tutti.loans.models import Instrument, Loan, LoanSettings
        from tutti.participation.figures import LIVE_COUNTS

        # The public impact page counts the library's loans, and the request form shows the
        # hub's reduced rate: each is a change to the hub's public pages (core/page_cache.py).
        watch(Loan)
        watch(Instrument)
        watch(LoanSettings)
        LIVE_COUNTS["instruments-on-loan"] = instruments_on_loan
