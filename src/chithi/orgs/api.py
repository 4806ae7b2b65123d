"""API for organisations and people: the same FilterSets and scope as the HTML pages."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from chithi.api.fields import PlausibleDate, ScopedRelatedField
from chithi.api.serializers import ModelSerializer
from chithi.api.uploads import uploaded_xlsx, xlsx_import
from chithi.api.viewsets import ScopedViewSet
from chithi.core.permissions import Action, restrict

from . import selectors, services
from .filters import OrganisationFilterSet, PersonFilterSet
from .models import Membership, Organisation, Person


class OrganisationSerializer(ModelSerializer):
    parent = ScopedRelatedField(  # type: ignore[assignment]
        queryset=Organisation.objects.all(), action=Action.ADD, allow_null=True, required=False)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "code", "kind", "parent", "depth", "residential", "established_on",
                  "dissolved_on", "successor", "description"]
        read_only_fields = ["depth", "dissolved_on", "successor"]
        extra_kwargs = {"established_on": {"past": True}}


class MembershipSerializer(ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organisation", "organisation_name", "position", "since", "until"]


class PersonSerializer(ModelSerializer):
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "full_name", "gender", "birth_date", "is_party_member", "party_joined_on", "phone",
                  "email", "note", "memberships"]
        extra_kwargs = {"birth_date": {"past": True}, "party_joined_on": {"past": True}}

    def get_memberships(self, person: Person) -> list[dict[str, Any]]:
        memberships = getattr(person, "current_memberships_list", None)
        if memberships is None:  # a person just written: the same scoped list as the reads (issue 9)
            request = self.context.get("request")
            memberships = list(restrict(person.current_memberships(), getattr(request, "user", None)))
        return MembershipSerializer(memberships, many=True).data  # type: ignore[return-value]


class PersonCreateSerializer(PersonSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), action=Action.ADD, write_only=True)
    position = serializers.CharField(max_length=120, required=False, allow_blank=True, write_only=True)
    since = PlausibleDate(label=_("Since"), required=False, allow_null=True, write_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "organisation", "position", "since"]


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Organisation.objects.order_by("path")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        try:
            serializer.instance = services.create_organisation(actor=self.request.user, **serializer.validated_data)
        except PermissionDenied as exc:
            raise serializers.ValidationError({"parent": [str(exc)]}) from exc

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        org = cast(Organisation, serializer.instance)
        data = dict(serializer.validated_data)
        if org.parent_id is None:
            data.pop("parent", None)
        serializer.instance = services.update_organisation(actor=self.request.user, org=org, **data)


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, ScopedViewSet):
    base_queryset = Person.objects.all()
    filterset_class = PersonFilterSet

    def get_queryset(self) -> Any:
        action = self.scope_action()
        if action == Action.CHANGE:  # writes follow the one rule of PersonPolicy
            return selectors.with_current_memberships(selectors.writable_people(self.request.user), self.request.user)
        return selectors.visible_people(self.request.user, action)

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:  # type: ignore[type-arg]
        if self.action == "create":
            return PersonCreateSerializer
        return PersonSerializer

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.create_person(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:  # type: ignore[type-arg]
        serializer.instance = services.update_person(actor=self.request.user, person=cast(Person, serializer.instance),
                                                     **serializer.validated_data)

    @xlsx_import(responses={201: PersonSerializer(many=True)})
    def import_xlsx(self, request: Request) -> Response:
        """Import people from an XLSX file: all rows or none; errors list row, column and reason."""
        people = services.import_people(actor=request.user, source=uploaded_xlsx(request))
        return Response(PersonSerializer(people, many=True).data, status=status.HTTP_201_CREATED)

    def scope_action(self) -> Action:
        if self.action == "import_xlsx":
            return Action.IMPORT
        return super().scope_action()
