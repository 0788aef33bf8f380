"""The facts a search hit carries, so that one request answers a question: a figure's value,
unit and qualifier, a milestone's dates and outcome, an initiative's status and due state, an
agreement's kind and signing date. Each is an Embed keyed by the record's own id, loaded for all
the hits of one type in one query (app/query/engine.py's embedding)."""

from app.models import Agreement, Initiative, Metric, Milestone
from app.query.resources.initiatives import due_state
from app.query.resources.milestones import OUTCOME
from app.query.spec import Embed
from app.query.units import unit_columns

FACTS: dict[str, Embed] = {
    "metrics": Embed(
        columns=[
            Metric.value,
            Metric.previous_value,
            Metric.unit,
            *unit_columns(Metric.unit),
            Metric.qualifier,
            Metric.as_of_phrase.label("as_of__phrase"),
            Metric.as_of_start.label("as_of__start"),
            Metric.as_of_end.label("as_of__end"),
            Metric.quote,
        ],
        parent=Metric.id,
        from_=Metric.__table__,
        order_by=[],
    ),
    "milestones": Embed(
        columns=[
            Milestone.kind,
            Milestone.phrase,
            Milestone.start_on.label("start"),
            Milestone.end_on.label("end"),
            Milestone.precision,
            Milestone.qualifier,
            Milestone.edtf,
        ],
        parent=Milestone.id,
        from_=Milestone.__table__,
        order_by=[],
        computed=OUTCOME,
    ),
    "initiatives": Embed(
        columns=[
            Initiative.kind,
            Initiative.status,
            Initiative.due_start.label("due__start"),
            Initiative.due_end.label("due__end"),
        ],
        parent=Initiative.id,
        from_=Initiative.__table__,
        order_by=[],
        computed={"due_state": due_state},
    ),
    "agreements": Embed(
        columns=[
            Agreement.kind,
            Agreement.signed_phrase.label("signed__phrase"),
            Agreement.signed_start.label("signed__start"),
            Agreement.signed_end.label("signed__end"),
        ],
        parent=Agreement.id,
        from_=Agreement.__table__,
        order_by=[],
    ),
}
