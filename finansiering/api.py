"""The API's view of the budgets (config/api/urls.py): each version with its total per year, and a version's
split between the parties per year (finansiering.financing), scoped as the budget pages."""

from decimal import Decimal

import django_filters
from django.db.models import Sum
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetlinje, Budgetversion
from indsatser.models import Indsats


def visible_indsatser(request):
    return Indsats.objects.visible_to(request.user) if request else Indsats.objects.none()


class BudgetFilter(django_filters.FilterSet):
    # A choice among the indsatser the user may see, as the lists' filters: one the user may not see answers
    # 400 as one that does not exist, so the answer tells nothing about foreign indsatser.
    indsats = django_filters.ModelChoiceFilter(queryset=visible_indsatser, label="Indsatsens id")

    class Meta:
        model = Budgetversion
        fields = ["indsats", "fase", "status"]


class YearAmountSerializer(serializers.Serializer):
    aar = serializers.IntegerField()
    beloeb = serializers.DecimalField(max_digits=14, decimal_places=2)


def year_rows(per_aar: dict[int, Decimal]) -> list[dict]:
    return [{"aar": year, "beloeb": amount} for year, amount in sorted(per_aar.items())]


class BudgetversionSerializer(serializers.ModelSerializer):
    indsats = serializers.IntegerField(source="indsats_id")
    titel = serializers.CharField(source="indsats.titel")
    i_alt = serializers.SerializerMethodField()
    per_aar = serializers.SerializerMethodField()

    class Meta:
        model = Budgetversion
        fields = ["id", "indsats", "titel", "nummer", "fase", "status", "i_alt", "per_aar"]

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_i_alt(self, version):
        return serializers.DecimalField(max_digits=14, decimal_places=2).to_representation(
            sum(version.year_totals.values(), Decimal("0.00"))
        )

    @extend_schema_field(YearAmountSerializer(many=True))
    def get_per_aar(self, version):
        return YearAmountSerializer(year_rows(version.year_totals), many=True).data


class PartSerializer(serializers.Serializer):
    navn = serializers.CharField()
    art = serializers.CharField()
    procent = serializers.DecimalField(max_digits=6, decimal_places=2)
    i_alt = serializers.DecimalField(source="total", max_digits=14, decimal_places=2)
    per_aar = serializers.SerializerMethodField()

    @extend_schema_field(YearAmountSerializer(many=True))
    def get_per_aar(self, part):
        return YearAmountSerializer(year_rows(part.per_aar), many=True).data


class BudgetDetailSerializer(BudgetversionSerializer):
    parter = serializers.SerializerMethodField()
    advarsler = serializers.SerializerMethodField()

    class Meta(BudgetversionSerializer.Meta):
        fields = [*BudgetversionSerializer.Meta.fields, "parter", "advarsler"]

    @extend_schema_field(PartSerializer(many=True))
    def get_parter(self, version):
        return PartSerializer(version.financing.parter, many=True).data

    def get_advarsler(self, version) -> list[str]:
        return version.financing.advarsler


def attach_year_totals(versions) -> None:
    """Each version's total per year, for a page of versions in one query."""
    totals = {version.pk: {} for version in versions}
    rows = (
        Budgetlinje.objects.filter(version__in=list(totals))
        .values_list("version", "aar")
        .annotate(total=Sum("beloeb"))
        .order_by()
    )
    for version_id, year, total in rows:
        totals[version_id][year] = total
    for version in versions:
        version.year_totals = totals[version.pk]


class BudgetViewSet(viewsets.ReadOnlyModelViewSet):
    """Budget versions of the indsatser the user may see, with their total per year; one version also with its
    split between the parties (LBF, kommune, afdelinger...) per year. Filter: indsats, fase, status."""

    filterset_class = BudgetFilter

    def get_queryset(self):
        return (
            Budgetversion.objects.visible_to(self.request.user)
            .select_related("indsats")
            .order_by("indsats_id", "nummer")
        )

    def get_serializer_class(self):
        return BudgetDetailSerializer if self.action == "retrieve" else BudgetversionSerializer

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        attach_year_totals(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        version = self.get_object()
        attach_year_totals([version])
        version.financing = indsats_finansiering(version.indsats, version)
        return Response(self.get_serializer(version).data)
