"""Dates are entered and shown as dd/mm/yyyy (issue 10). Django's Vietnamese formats set no input formats, so
forms fell back to the American month-first ones: "05/03/2020" would have been read as 3 May. ISO stays accepted
(the API, links carrying ?ngay=2020-01-01)."""

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
# Thousands in groups of three ("230.000"): Django's Vietnamese formats set the separator but no grouping, so
# intcomma printed "230000". USE_THOUSAND_SEPARATOR stays off: only numbers shown with intcomma are grouped, never
# an id written into a form or a link.
NUMBER_GROUPING = 3
