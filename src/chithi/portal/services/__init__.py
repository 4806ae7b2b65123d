"""Writes for the public site, by concern; every public name is re-exported here for views, the API, the demo
and tests."""

from .articles import (
    create_article,
    make_slug,
    publish_article,
    return_article,
    submit_article,
    update_article,
    withdraw_article,
)
from .categories import create_category
from .feedback import answer_feedback, approve_feedback, reject_feedback, submit_feedback
from .images import add_image

__all__ = [
    "add_image",
    "answer_feedback",
    "approve_feedback",
    "create_article",
    "create_category",
    "make_slug",
    "publish_article",
    "reject_feedback",
    "return_article",
    "submit_article",
    "submit_feedback",
    "update_article",
    "withdraw_article",
]
