"""Pages of the reports room: rounds and their board, a report (edit, submit, return, accept, correct, compile,
number, render, DOCX / PDF / XLSX), the list of reports to write, and the dashboard of a unit and period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chithi.core import charts
from chithi.core.db_routers import reporting_db
from chithi.core.forms import form_page, run_action, step_refused
from chithi.core.pagination import paginate
from chithi.core.permissions import Action, NoUnitInScope, get_scoped_or_404, has_any
from chithi.core.uploads import checked_content_type
from chithi.core.xlsx import write_xlsx, xlsx_response
from chithi.orgs.models import Organisation
from chithi.orgs.selectors import unit_labels, visible_parent

from . import dashboard as board_tables
from . import figures as fig
from . import policy, selectors, services
from .document import ConversionError, to_pdf
from .forms import AttachForm, CorrectForm, NumberForm, PeriodForm, ReportForm, ReturnForm, RoundForm
from .models import EDITABLE_STATUSES, SECTIONS, Report, ReportAttachment, ReportStatus, RoundStatus

_refused = step_refused  # a step the policy does not allow now: 404 out of scope, else back with the reason


# --- rounds ----------------------------------------------------------------------------------------------


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = selectors.visible_rounds(request.user, using=reporting_db()).order_by("-period_end", "-id")
    return render(request, "reports/round_list.html", {
        "page": paginate(request, rounds), "can_open": has_any(request.user, Action.ADD)})


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.ADD):
        raise Http404
    year = timezone.localdate().year
    form = RoundForm(request.POST or None, user=request.user, initial={
        "period_start": dt.date(year, 1, 1), "period_end": dt.date(year, 6, 30), "deadline": dt.date(year, 6, 15)})
    return form_page(request, form=form, title=_("Open a reporting round"), back_url="/bao-cao/",
                     success=_("The round is open; each sub-unit has its draft."),
                     save=lambda data: services.open_round(actor=request.user, **{
                         k: v for k, v in data.items() if k != "unit"}, unit=data["unit"]))


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_detail(user=request.user, pk=pk, using=reporting_db())
    rows, own, counts = selectors.round_board(round_=round_, using=reporting_db())
    return render(request, "reports/round_detail.html", {
        "round": round_, "rows": rows, "own": own, "counts": counts,
        "allowed": policy.ROUND.allowed(request.user, round_)})


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_detail(user=request.user, pk=pk)
    run_action(request, services.close_round, actor=request.user, round_=round_,
               success=_("The round is closed: no more reports are received."))
    return redirect(round_)


@login_required
@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_detail(user=request.user, pk=pk)
    if (answer := _refused(request, policy.ROUND, "remind", round_)) is not None:
        return answer
    sent = services.send_reminders()
    messages.success(request, _("Reminders sent: %(n)d.") % {"n": sent})
    return redirect(round_)


def _figure_headers() -> list[Any]:
    return [_("Unit"), _("Status"), *[f.label for f in fig.FIGURES]]


@login_required
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_detail(user=request.user, pk=pk, using=reporting_db())
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    rows, own, _counts = selectors.round_board(round_=round_, using=reporting_db())
    data = [[r.report.organisation.name, r.report.get_status_display(),
             *[r.report.value(f.key) for f in fig.FIGURES]] for r in rows]
    if own is not None:
        data.append([own.organisation.name, own.get_status_display(), *[own.value(f.key) for f in fig.FIGURES]])
    return xlsx_response(write_xlsx(headers=_figure_headers(), rows=data, title=_("Figures")),
                         f"dot-bao-cao-{round_.pk}.xlsx")


# --- reports ---------------------------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports the user still has to write (drafts and returned ones in open rounds, as counted on the home
    page); ?all=1: every report the user writes, sent and accepted ones too; ?late=1: the late ones the user sees."""
    today = timezone.localdate()
    late = request.GET.get("late") == "1"
    everything = not late and request.GET.get("all") == "1"
    if late:
        reports = selectors.visible_reports(request.user, using=reporting_db()).filter(
            status__in=EDITABLE_STATUSES, round__status=RoundStatus.OPEN, round__deadline__lt=today, compiled=False)
    else:
        reports = selectors.visible_reports(request.user, Action.CHANGE, using=reporting_db()).exclude(
            status=ReportStatus.SUPERSEDED)
        if not everything:
            reports = reports.filter(status__in=EDITABLE_STATUSES, round__status=RoundStatus.OPEN)
    reports = reports.order_by("round__deadline", "organisation__sort_key")
    return render(request, "reports/report_list.html", {"page": paginate(request, reports), "late": late,
                                                        "everything": everything, "today": today})


def _report(request: HttpRequest, pk: int, using: str | None = None) -> Report:
    return selectors.report_detail(user=request.user, pk=pk, using=using)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    db = reporting_db()
    report = _report(request, pk, db)
    allowed = policy.REPORT.allowed(request.user, report)
    rows = [{"figure": f, "computed": report.figures.get(f.key), "value": report.value(f.key),
             "override": report.overrides.get(f.key)} for f in fig.FIGURES]
    check = services.compile_check(report, using=db) if report.compiled else None
    number = getattr(report, "document_number", None) if hasattr(report, "document_number") else None
    return render(request, "reports/report_detail.html", {
        "report": report, "allowed": allowed, "rows": rows, "rates": fig.rates(report.reported_figures()),
        "sections": [(key, label, report.sections.get(key, "")) for key, label in SECTIONS],
        "check": check, "flagged": bool(check and any(c["flag"] for c in check)),
        "versions": selectors.versions(report, db), "late": report.is_late(timezone.localdate()),
        "number": services.number_text(number, report.organisation) if number else "",
        "missing": services.missing_sections(report),
        "attachments": list(ReportAttachment.objects.using(db).filter(report_id=report.pk)),
        # A cell writes into its ward's round without reading the round's board (its neighbours' reports).
        "round_visible": selectors.visible_rounds(request.user, using=db).filter(pk=report.round_id).exists(),
    })


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if (answer := _refused(request, policy.REPORT, "edit", report)) is not None:
        return answer
    form = ReportForm(request.POST or None, report=report, initial=ReportForm.initial_for(report))
    return form_page(request, form=form, title=_("Edit the report"), back_url=report.get_absolute_url(),
                     template="reports/report_form.html", context={"report": report},
                     success=_("The report is saved."),
                     save=lambda data: services.update_report(actor=request.user, report=report,
                                                              **form.changes(report)))


@login_required
def report_attach(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(request, pk, "attach", AttachForm(request.POST or None, request.FILES or None),
                      _("Attach a file to the report"), _("The file is attached."), back=True,
                      save=lambda report, data: services.attach_file(actor=request.user, report=report,
                                                                     upload=data["file"]))


def _attachment(request: HttpRequest, pk: int, file_pk: int) -> ReportAttachment:
    """A file of a report the user may see: 404 for anything else (another unit's report, another report's file)."""
    return get_object_or_404(_report(request, pk).attachments.all(), pk=file_pk)


@login_required
def attachment_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    stored = _attachment(request, pk, file_pk)
    # Always a download under its original name, typed from the checked extension (never the client's claim).
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                        content_type=checked_content_type(stored.file.name))


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    stored = _attachment(request, pk, file_pk)
    if (answer := _refused(request, policy.REPORT, "attach", stored.report)) is not None:
        return answer
    run_action(request, services.remove_attachment, actor=request.user, attachment=stored,
               success=_("The file is removed."))
    return redirect(stored.report)


def _post_action(request: HttpRequest, pk: int, action: str, service: Any, success: str, **kwargs: Any) -> HttpResponse:
    report = _report(request, pk)
    if (answer := _refused(request, policy.REPORT, action, report)) is not None:
        return answer
    run_action(request, service, actor=request.user, report=report, success=success, **kwargs)
    return redirect(report)


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "submit", services.submit_report, _("The report is submitted."))


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "accept", services.accept_report, _("The report is accepted and frozen."))


@login_required
@require_POST
def report_compile(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "compile", services.compile_report,
                        _("Figures summed from the sub-units and their narratives collected per section."))


@login_required
@require_POST
def report_render(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "render", services.render_document, _("The document is rendered."))


def _form_step(request: HttpRequest, pk: int, action: str, form: forms.Form, title: str, success: str,
               save: Callable[[Report, dict[str, Any]], Any], back: bool = False) -> HttpResponse:
    """A step of a report behind a form (return, correct, number, attach): refused by the policy before a form is
    offered; on success to what the service returned, or back to the report (`back`)."""
    report = _report(request, pk)
    if (answer := _refused(request, policy.REPORT, action, report)) is not None:
        return answer
    return form_page(request, form=form, title=title, back_url=report.get_absolute_url(), success=success,
                     redirect_to=(lambda _result: report.get_absolute_url()) if back else None,
                     save=lambda data: save(report, data))


@login_required
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(request, pk, "return", ReturnForm(request.POST or None), _("Return for revision"),
                      _("The report is returned with your comment."),
                      lambda report, data: services.return_report(actor=request.user, report=report,
                                                                  comment=data["comment"]))


@login_required
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(request, pk, "correct", CorrectForm(request.POST or None), _("Correct an accepted report"),
                      _("A new version is open for the correction."),
                      lambda report, data: services.correct_report(actor=request.user, report=report,
                                                                   reason=data["reason"]))


@login_required
def report_number(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_step(request, pk, "number", NumberForm(request.POST or None), _("Register the document number"),
                      _("The number is registered."), back=True,
                      save=lambda report, data: services.register_number(actor=request.user, report=report,
                                                                         number=data.get("number")))


def _document(request: HttpRequest, report: Report) -> bytes:
    if not report.document:
        raise Http404
    with report.document.open("rb") as handle:
        return handle.read()


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    data = _document(request, report)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml"
                                                ".document")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{report.pk}-v{report.version}.docx"'
    return response


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    data = _document(request, report)
    try:
        pdf = to_pdf(data)
    except ConversionError as exc:
        messages.error(request, str(exc))
        return redirect(report)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-{report.pk}-v{report.version}.pdf"'
    return response


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, reporting_db())
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    rows = [[f.label, report.figures.get(f.key), report.value(f.key),
             (report.overrides.get(f.key) or {}).get("reason", "")] for f in fig.FIGURES]
    return xlsx_response(write_xlsx(headers=[_("Figure"), _("Computed"), _("Reported"), _("Reason")], rows=rows,
                                    title=_("Figures")), f"bao-cao-{report.pk}-so-lieu.xlsx")


# --- dashboard -------------------------------------------------------------------------------------------


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return min(max(number, low), high)


def _dashboard_args(request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    unit_id = request.GET.get("unit")
    unit: Organisation | None
    if unit_id:
        unit = get_scoped_or_404(selectors.dashboard_units(request.user), request.user, Action.VIEW, pk=unit_id)
    else:
        unit = selectors.default_unit(request.user)
        if unit is None:
            raise NoUnitInScope
    period = request.GET.get("period") or "year"
    if period not in dict(selectors.PERIODS):
        period = "year"
    year = _int(request.GET.get("year"), today.year, 2000, today.year + 1)
    part = _int(request.GET.get("part"), 1, 1, 12)
    typed = PeriodForm(request.GET)
    custom = typed.cleaned_data if typed.is_valid() else {}
    start, end = selectors.period_bounds(period, year, part, custom.get("start"), custom.get("end"))
    if start > end:
        start, end = end, start
    return {"unit": unit, "period": period, "year": year, "part": part, "start": start, "end": end,
            "period_form": PeriodForm(initial={"start": start, "end": end})}


def _dashboard_data(request: HttpRequest) -> tuple[dict[str, Any], selectors.Dashboard, list[board_tables.Table]]:
    args = _dashboard_args(request)
    board = selectors.dashboard(user=request.user, unit=args["unit"], start=args["start"], end=args["end"])
    issues = selectors.issue_breakdown(user=request.user, unit=args["unit"], start=args["start"], end=args["end"])
    return args, board, board_tables.tables(board=board, issues=issues, args=args)


CHART_WIDTH = board_tables.CHART_WIDTH


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    args, board, tables = _dashboard_data(request)
    # Charts show the sub-units that have something to show (a committee's own departments often have nothing);
    # the table below keeps every sub-unit.
    shown = [r for r in board.rows if any(r.figures.values())]
    names = unit_labels(r.unit for r in shown)
    chart_tasks = charts.bar_chart(title=_("Tasks done (%) by unit"), unit="%", width=CHART_WIDTH, items=[
        (n, r.rates["tasks_done_pct"]) for n, r in zip(names, shown, strict=True)])
    chart_issues = charts.stacked_bar_chart(
        title=_("Issues by unit: answered on time, answered late, not answered"), labels=names, width=CHART_WIDTH,
        parts=[
            (_("On time"), [r.figures["issues_on_time"] for r in shown]),
            (_("Late"), [r.figures["issues_answered"] - r.figures["issues_on_time"] for r in shown]),
            (_("Not answered"), [r.figures["issues_received"] - r.figures["issues_answered"] for r in shown]),
        ])
    chart_meetings = charts.bar_chart(title=_("Meetings held by unit"), width=CHART_WIDTH, items=[
        (n, r.figures["meetings_held"]) for n, r in zip(names, shown, strict=True)])
    query = request.GET.urlencode()
    return render(request, "reports/dashboard.html", {
        **args, "board": board, "figures": fig.FIGURES, "periods": selectors.PERIODS,
        "years": range(args["year"] - 3, timezone.localdate().year + 2), "query": query,
        "tables": tables, "drill": board_tables.drill(args, args["unit"].pk),
        "up": visible_parent(user=request.user, org=args["unit"]),
        "shown": shown, "chart_tasks": chart_tasks, "chart_issues": chart_issues, "chart_meetings": chart_meetings,
        "can_export": has_any(request.user, Action.EXPORT)})


@login_required
def dashboard_export(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Action.EXPORT):
        raise Http404
    args, board, tables = _dashboard_data(request)
    name = f"bang-dieu-khien-{args['unit'].pk}-{args['start']:%Y%m%d}-{args['end']:%Y%m%d}"
    table = next((t for t in tables if t.key == request.GET.get("table")), None)
    if table is not None:  # one section's table, as drawn on the page
        return xlsx_response(write_xlsx(headers=table.headers, rows=table.xlsx_rows(), title=table.key),
                             f"{name}-{table.key}.xlsx")
    headers = [_("Unit"), *[f.label for f in fig.FIGURES], _("Tasks done (%)"), _("Attendance (%)"),
               _("Issues answered on time (%)")]
    data = [[r.unit.name, *[r.figures[f.key] for f in fig.FIGURES], r.rates["tasks_done_pct"],
             r.rates["attendance_pct"], r.rates["issues_on_time_pct"]] for r in [*board.rows, board.total]]
    return xlsx_response(write_xlsx(headers=headers, rows=data, title=f"{args['start']:%d.%m.%Y}"),
                         f"{name}.xlsx")

