from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "comparisons"
    verbose_name = "Comparisons"

    def ready(self):
        from comparisons import models
        from comparisons.cache import track

        track(
            models.Framework,
            models.ProCon,
            models.UseCase,
            models.Criterion,
            models.Rating,
            models.FrameworkSource,
            models.RatingSource,
            models.Correction,
            models.ProjectType,
        )
