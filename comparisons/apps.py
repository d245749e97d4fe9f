from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from comparisons.cache import track
        from comparisons.models import Criterion, Framework, ProCon, Rating, UseCase

        track(Framework, ProCon, UseCase, Criterion, Rating)
