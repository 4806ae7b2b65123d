"""Writes for organisations, people, memberships, roles and restructurings, one module a concern (after Zulip's
zerver/actions/). Each function takes keyword arguments, asks orgs.policy, validates, writes and audits inside one
transaction, and refuses with a ValidationError naming the field (forms and the API show it as it is).

Every public function is re-exported here, so callers write `from chithi.orgs import services`.
"""

from .memberships import add_membership, correct_membership, end_membership
from .organisations import ORG_FIELDS, create_organisation, move_organisation, update_organisation
from .people import PERSON_FIELDS, create_person, new_person, update_person, validate_person
from .people_import import import_people, people_columns
from .restructuring import SplitPart, merge_organisations, split_organisation
from .roles import assign_role, revoke_role

__all__ = [
    "ORG_FIELDS",
    "PERSON_FIELDS",
    "SplitPart",
    "add_membership",
    "assign_role",
    "correct_membership",
    "create_organisation",
    "create_person",
    "end_membership",
    "import_people",
    "merge_organisations",
    "move_organisation",
    "new_person",
    "people_columns",
    "revoke_role",
    "split_organisation",
    "update_organisation",
    "update_person",
    "validate_person",
]
