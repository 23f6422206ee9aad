from django.contrib import admin

from tutti.competitions.models import Adjudicator, Category, Competition, Criterion


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["name", "hub", "opens_on", "closes_on", "published"]
    list_filter = ["hub"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "competition", "min_age", "max_age"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "competition", "weight"]


# Entries hold children's details: they are seen on the hub's audited pages, not in the admin.
@admin.register(Adjudicator)
class AdjudicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "competition", "accepted_at"]
    exclude = ["token_hash"]
