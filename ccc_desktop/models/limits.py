"""How long each kind of free text may be: the one list the services enforce and the forms read.

Every free-text field the user can fill is one of these kinds. The services check the limit on
every path that writes the field (create, edit, correct a detail, import) through
``validation.clean_text``/``validation.clean_name``; the forms read ``FIELD_LIMITS`` to stop
typing at the same length. The limits fit real use: a name is one line, an address a few lines,
notes can be long. Every document lays out any value these limits allow.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    chars: int
    lines: int = 1
    name: bool = False  # a person's or organisation's name: no invisible or control characters

    @property
    def multiline(self) -> bool:
        return self.lines > 1


NAME = Limit(120, 1, name=True)          # a person's name, who did something
ORGANISATION = Limit(160, 1, name=True)  # an agency, court, firm, station, the centre
SHORT = Limit(200, 1)                    # one line: a label, a purpose, how given, a time note
CODE = Limit(60, 1)                      # a case number, an officer's number, a reference
CONTACT = Limit(200, 3)                  # a referrer's contact details
ADDRESS = Limit(400, 8)                  # a postal address
REASON = Limit(500, 10)                  # a reason, an outcome note, a step's note
TEXT = Limit(2000, 40)                   # a scope, what was asked for, needs, identity check
NOTES = Limit(5000, 120)                 # notes, what happened, what was said
LONG_NOTES = Limit(20000, 400)           # restricted notes, safety notes
POLICY = Limit(100_000, 3000)            # the policy's text
TEMPLATE = Limit(50_000, 2000)           # a letter template

# The fields of each form, by the field name the services use in ValidationError; a form may
# look its field up here to set a maximum length. Services use the constants above directly.
FIELD_LIMITS: dict[str, Limit] = {
    # people
    "full_name": NAME, "display_name": NAME, "requester_name": NAME, "referrer_name": NAME,
    "previsit_by": NAME, "officer_name": NAME, "approved_by": NAME, "done_by": NAME,
    "decided_by": NAME, "id_checked_by": NAME, "served_on": NAME, "reviewed_by": NAME,
    "chair_name": NAME, "solicitor_name": NAME, "authorised_by": NAME, "requested_by": NAME,
    "to_whom": NAME, "who_told": TEXT,
    # organisations and short lines
    "name": ORGANISATION, "referrer_organisation": ORGANISATION, "organisation": ORGANISATION,
    "court": ORGANISATION, "agency_name": ORGANISATION, "station": ORGANISATION,
    "solicitor_firm": ORGANISATION, "naccc_contact": SHORT, "applicant": ORGANISATION,
    "emergency_details": REASON,
    "purpose": SHORT, "how": SHORT, "label": SHORT, "duty": CODE, "phone": CODE, "email": SHORT,
    "case_number": CODE, "officer_number": CODE, "received_how": SHORT,
    "undertaking_version": Limit(20),
    # addresses and contacts
    "address": ADDRESS, "court_address": ADDRESS, "applicant_address": ADDRESS,
    "referrer_contact": CONTACT,
    # reasons and notes
    "reason": REASON, "resignation_reason": REASON, "absence_reason": REASON,
    "outcome_note": TEXT, "note": TEXT, "identity_check": TEXT, "needs": TEXT,
    "scope": TEXT, "asked_for": TEXT, "answer": NOTES, "disclosed": NOTES,
    "must_not_attend": TEXT, "notes": NOTES, "previsit_notes": NOTES, "what_happened": NOTES,
    "who_involved": TEXT, "action_taken": NOTES, "asked": NOTES, "said": NOTES,
    "outcome": NOTES, "disclosed_information": NOTES, "decision_notes": NOTES,
    "changes": NOTES, "safety_notes": LONG_NOTES, "restricted_notes": LONG_NOTES,
    "body": POLICY,
}

# The calendar the forms can show back (dd/mm/yyyy): nothing before 1900, nothing so late that
# adding a year of weekly sessions or a renewal period runs off the calendar.
FIRST_YEAR = 1900
LAST_YEAR = 2199
