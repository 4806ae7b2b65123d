"""Forms of the public site: writing an article, its pictures, publishing, moderation, and the reader's
feedback form (with its honeypot)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from chithi.core.inputs import PlausibleDateTimeField
from chithi.core.permissions import Action, restrict
from chithi.core.search import folded_words
from chithi.orgs.models import Organisation

from .models import Category


class ArticleForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Unit"), queryset=Organisation.objects.none())
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(label=_("Summary"), max_length=600, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Two or three sentences shown in lists, feeds and link previews."))
    body = forms.CharField(
        label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("HTML: headings <h2>, <h3>, paragraphs <p>, lists, links, quotes, tables. Place a picture "
                    "with its marker, e.g. [ảnh:12]. Scripts, styles and event handlers are removed."))
    byline = forms.CharField(label=_("Author"), max_length=150, required=False)
    source_name = forms.CharField(label=_("Source"), max_length=200, required=False)
    source_url = forms.URLField(label=_("Source link"), max_length=500, required=False, assume_scheme="https")
    # A CharField, not a SlugField: an editor types "bài viết mới" and gets "bai-viet-moi", not Django's English
    # "Enter a valid slug"; what folds to nothing is left for the service to refuse in Vietnamese.
    slug = forms.CharField(label=_("Web address"), max_length=120, required=False,
                           help_text=_("Letters without marks, digits and dashes; made from the title when empty."))
    featured = forms.BooleanField(label=_("Featured on the home page"), required=False)
    issue_category: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Related issue category"), required=False, queryset=None)
    practices: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Related practices"), required=False, queryset=None, widget=forms.SelectMultiple(attrs={"size": 6}))

    def __init__(self, *args: Any, user: Any, with_organisation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from chithi.dialogues.selectors import public_categories as issue_categories
        from chithi.practices.selectors import public_practices

        if with_organisation:
            self.fields["organisation"].queryset = restrict(Organisation.objects.active(), user,  # type: ignore[attr-defined]
                                                            Action.ADD).order_by("path")
        else:
            del self.fields["organisation"]
        self.fields["category"].queryset = Category.objects.filter(active=True)  # type: ignore[attr-defined]
        self.fields["issue_category"].queryset = issue_categories()  # type: ignore[attr-defined]
        self.fields["practices"].queryset = public_practices(include_replications=True).order_by(  # type: ignore[attr-defined]
            "sort_key")

    def clean_slug(self) -> str:
        typed = self.cleaned_data["slug"].strip()
        return (slugify(folded_words(typed))[:120].strip("-") or typed) if typed else ""


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Picture"))
    alt = forms.CharField(label=_("Text alternative"), max_length=300,
                          help_text=_("What the picture shows, for readers who cannot see it (required)."))
    caption = forms.CharField(label=_("Caption"), max_length=500, required=False)
    credit = forms.CharField(label=_("Photo credit"), max_length=150, required=False)
    lead = forms.BooleanField(label=_("Lead picture of the article"), required=False)


class PublishForm(forms.Form):
    publish_at = PlausibleDateTimeField(
        label=_("Publish at"), required=False, input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Empty: publish now. A later time schedules the publication."))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                             error_messages={"required": _("Write the answer first.")})


class FeedbackForm(forms.Form):
    """The reader's form under an article. `website` is a honeypot: hidden from people, filled by bots."""

    name = forms.CharField(label=_("Full name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), max_length=200,
                             help_text=_("Never shown; the answer is sent there."))
    message = forms.CharField(label=_("Your feedback"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))
    show_name = forms.BooleanField(label=_("Show my given name with the feedback (otherwise “Reader”)"),
                                   required=False, initial=True)
    website = forms.CharField(required=False, label=_("Leave this field empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("This form could not be accepted. Please try again."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
