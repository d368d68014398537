"""The parts of a decision's page written in Python: its facts under the title (who opened it,
its dates; {% decision_facts %}), its outcome once over ({% decision_outcome %}), the vote's
results with their objections ({% vote_results %}, also in the minutes), the comments
({% decision_comments %}) and the proposal's versions ({% proposal_versions %}).

As templates, each row or fact cost some hundreds of Python calls: a `{% blocktranslate %}`, a
date localised through the date filter, a lazy `_("…")` default, a reversed URL; the results box
alone cost about 1,200 at each first view after a write of an open vote's page (issue 24). The bytes
are those the templates wrote, whitespace included (tests/decisions/test_decision_page.py compares
them with the templates they replaced, tests/test_golden_html.py the pages). What people wrote (a
name, a reason, a comment) is escaped where it is placed, through conditional_escape or the
Markdown renderer, as the templates escaped it; our catalogue's words are written unescaped, as
{% translate %} and {% blocktranslate %} write them, under the templates' msgids; numbers and
dates are localised as the templates localised them (assembly/localised.py).
"""

from django import template
from django.template.defaultfilters import urlencode
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from assembly import localised
from assembly.localised import number
from assembly.markdown import render_markdown
from assembly.rows import url_by_name

from .decisions import phase_badge

register = template.Library()

# --- Who opened it, when, and its dates ------------------------------------------------------

_FACTS = """<p>{badge} <span class="muted">{kind} ·
  {byline}</span></p>

<dl class="decision-facts">
  {discussion}
  {vote}
  {quorum}
  {related}
  {previous}
  {next}
</dl>"""
_FACT = """
    <dt>{title}</dt>
    <dd>{text}</dd>
  """


def _link(url: str, text) -> str:
    return f'<a href="{conditional_escape(url)}">{conditional_escape(text)}</a>'


@register.simple_tag
def decision_facts(decision, related_commons, next_rounds) -> SafeString:
    """Its phase, kind, author and opening; then its discussion's and vote's dates, its quorum,
    the commons it concerns and the rounds before and after it."""
    author = decision.author
    moment = localised.dates("DATETIME_FORMAT")
    discussion = vote = quorum = related = previous = following = ""
    if decision.phase in ("discussion", "awaiting"):
        message = (
            gettext("open until %(ends)s; then a %(days)s-day consent vote among the members")
            if decision.phase == "discussion"
            else gettext(
                "ended on %(ends)s without a proposal: the %(days)s-day vote opens as soon as "
                "the author publishes it"
            )
        )
        discussion = _FACT.format(
            title=gettext("Discussion"),
            text=message
            % {"ends": moment(decision.discussion_ends_at), "days": number(decision.vote_days)},
        )
    if decision.vote_opens_at:
        vote = _FACT.format(
            title=gettext("Vote"),
            text=gettext("from %(opened)s to %(closes)s")
            % {
                "opened": moment(decision.vote_opens_at),
                "closes": moment(decision.vote_closes_at),
            },
        )
    if decision.quorum_percent:
        quorum = _FACT.format(
            title=gettext("Quorum"),
            text=gettext("%(quorum)s %% of the roll must vote")
            % {"quorum": number(decision.quorum_percent)},
        )
    if related_commons:
        related = _FACT.format(
            title=gettext("Related commons"),
            text=", ".join(
                _link(reverse("commons:detail", kwargs={"slug": commons.slug}), commons.name)
                for commons in related_commons
            ),
        )
    if decision.previous_round:
        before = decision.previous_round
        previous = _FACT.format(
            title=gettext("Previous round"), text=_link(before.get_absolute_url(), before.title)
        )
    if next_rounds:
        following = _FACT.format(
            title=gettext("Next round"),
            text=", ".join(_link(after.get_absolute_url(), after.title) for after in next_rounds),
        )
    html = _FACTS.format(
        badge=phase_badge(decision),
        kind=escape(capfirst(decision.get_kind_display())),
        byline=gettext("opened by %(author)s on %(opened)s")
        % {
            "author": gettext("a former participant")
            if not author
            else conditional_escape(str(author)),
            "opened": moment(decision.created_at),
        },
        discussion=discussion,
        vote=vote,
        quorum=quorum,
        related=related,
        previous=previous,
        next=following,
    )
    # What people wrote (a title, a name, a commons' name) is escaped above.
    return mark_safe(html)


# --- How it ended -----------------------------------------------------------------------------

_OUTCOME = """<section class="outcome outcome-{outcome}" aria-labelledby="outcome-title">
  <h2 id="outcome-title">{title}</h2>
  {closed}
  {statement}
  {review}
  <p><a href="{minutes_url}">{minutes}</a></p>"""


@register.simple_tag
def decision_outcome(decision) -> SafeString:
    """The outcome of a closed or withdrawn decision: when, its statement, when it is to be
    reviewed, and its minutes (the section's opening; the facilitators' form follows)."""
    closed = statement = review = ""
    if decision.closed_at:
        moment = localised.dates("DATETIME_FORMAT")
        closed = (
            '<p class="muted">'
            + gettext("on %(closed)s") % {"closed": moment(decision.closed_at)}
            + "</p>"
        )
    if decision.outcome_statement:
        statement = f'<div class="prose">{render_markdown(decision.outcome_statement)}</div>'
    if decision.review_on:
        review = (
            "<p>"
            + gettext("To be reviewed on %(review)s.")
            % {"review": localised.dates("DATE_FORMAT")(decision.review_on)}
            + "</p>"
        )
    html = _OUTCOME.format(
        outcome=conditional_escape(decision.outcome),
        title=gettext("Outcome: %(outcome)s")
        % {"outcome": conditional_escape(decision.get_outcome_display())},
        closed=closed,
        statement=statement,
        review=review,
        minutes_url=conditional_escape(reverse("decisions:minutes", args=[decision.pk])),
        minutes=gettext("Minutes (printable)"),
    )
    # The statement through the Markdown renderer, the rest escaped above or our words.
    return mark_safe(html)


# --- The vote: this person's status, vote and form, and the results --------------------------

_VOTE = """<section aria-labelledby="vote-title" id="vote">
  <h2 id="vote-title">{title}</h2>
  <p class="voting-status">{reason}{sign_in}</p>
  {my_vote}
  {form}
  {results}
</section>"""
_SIGN_IN = ' <a href="{url}?next={next}">{label}</a>'
_MY_VOTE = """
    <p class="my-vote">{text}</p>
  """
_VOTE_FORM = """
    <form method="post" action="{url}" class="stacked-form vote-form" novalidate>
      {csrf_token}
      {errors}
      {form}
      <button type="submit">{button}</button>
    </form>
  """
_VOTE_ERRORS = '<p class="errorlist" role="alert">{text}</p>'
_RESULTS_CAPTION = """
    <p class="results-caption"><strong>{caption}</strong></p>
    {results}
  """


@register.simple_tag(takes_context=True)
def decision_vote(context) -> SafeString:
    """The vote's section of a decision not withdrawn: whether this person may vote and why,
    their vote, the vote form, and the results (views/detail.py's detail_context gives them)."""
    decision = context["decision"]
    status = context["status"]
    my_vote = context["my_vote"]
    vote_form = context["vote_form"]
    results = context["results"]
    sign_in = mine = form = shown = ""
    if status.needs_sign_in:
        sign_in = _SIGN_IN.format(
            url=conditional_escape(reverse("account_login")),
            next=conditional_escape(urlencode(context["request"].path)),
            label=gettext("Sign in"),
        )
    if my_vote:
        mine = _MY_VOTE.format(
            text=gettext("Your vote: <strong>%(choice)s</strong> (since %(at)s).")
            % {
                "choice": conditional_escape(my_vote.get_choice_display()),
                "at": localised.dates("DATETIME_FORMAT")(my_vote.cast_at),
            }
        )
    if vote_form:
        errors = ""
        if vote_form.errors:
            errors = _VOTE_ERRORS.format(
                text=gettext("Your vote is not recorded yet: please correct the form below.")
            )
        form = _VOTE_FORM.format(
            url=conditional_escape(reverse("decisions:vote", args=[decision.pk])),
            csrf_token=CsrfTokenNode().render(context),
            errors=errors,
            form=conditional_escape(vote_form.as_div()),
            button=gettext("Change my vote") if my_vote else gettext("Send my vote"),
        )
    if results:
        shown = _RESULTS_CAPTION.format(
            caption=gettext("Results") if decision.phase == "closed" else gettext("Results so far"),
            results=vote_results(decision, results),
        )
    html = _VOTE.format(
        title=gettext("Consent vote"),
        reason=conditional_escape(status.reason),
        sign_in=sign_in,
        my_vote=mine,
        form=form,
        results=shown,
    )
    # People's words are escaped above (the reason holds a date), the form is the form's HTML.
    return mark_safe(html)


# --- The results of a vote -------------------------------------------------------------------

_RESULTS = """
<dl class="decision-facts">
  <dt>{roll_title}</dt>
  <dd>{roll}
    <br><span class="muted fingerprint">{fingerprint_title} <code>{fingerprint}</code></span></dd>
  <dt>{turnout_title}</dt>
  <dd>{turnout}</dd>
  <dt>{votes_title}</dt>
  <dd>{votes}</dd>
</dl>
{objections}
"""
_OBJECTIONS = """
  <h3>{title}</h3>
  <ul class="objections">
    {rows}
  </ul>
"""
_OBJECTION = """
      <li><strong>{person}</strong>
        <span class="muted">({cast_at})</span>
        <div class="prose">{reason}</div></li>
    """


@register.simple_tag
def vote_results(decision, results) -> SafeString:
    """The roll, the turnout and the counts, then the objections with their reasons; `results`
    as views/detail.py's results_of() gives them."""
    roll_size = decision.roll_size
    counts = results["counts"]
    objections = ""
    if results["objections"]:
        former = gettext("a former member")
        moment = localised.dates("DATETIME_FORMAT")
        rows = []
        for objection in results["objections"]:
            person = objection.roll_entry.person
            rows.append(
                _OBJECTION.format(
                    person=former if not person else conditional_escape(str(person)),
                    cast_at=moment(objection.cast_at),
                    reason=render_markdown(objection.reason),
                )
            )
        objections = _OBJECTIONS.format(title=gettext("Objections"), rows="".join(rows))
    html = _RESULTS.format(
        roll_title=gettext("Electoral roll"),
        roll=ngettext("%(size)s person", "%(size)s people", roll_size)
        % {"size": number(roll_size)},
        fingerprint_title=gettext("SHA-256 fingerprint of the sorted roll:"),
        fingerprint=conditional_escape(decision.roll_fingerprint),
        turnout_title=gettext("Turnout"),
        turnout=ngettext(
            "%(votes)s vote out of %(roll)s (%(turnout)s %%)",
            "%(votes)s votes out of %(roll)s (%(turnout)s %%)",
            results["votes"],
        )
        % {
            "votes": number(results["votes"]),
            "roll": number(roll_size),
            "turnout": number(results["turnout"]),
        },
        votes_title=gettext("Votes"),
        votes=gettext("%(consents)s consent · %(abstentions)s abstain · %(objections)s object")
        % {
            "consents": number(counts["consent"]),
            "abstentions": number(counts["abstain"]),
            "objections": number(counts["object"]),
        },
        objections=objections,
    )
    # Each piece is escaped above, or our catalogue's words.
    return mark_safe(html)


# --- The comments ----------------------------------------------------------------------------

_COMMENT = """
        <li class="comment{hidden_class}" id="comment-{pk}">
          <p class="muted"><strong>{author}</strong>, {written}{edited}{hidden_badge}</p>
          <div class="prose">{text}</div>
          {edit}
          {hide}
        </li>
      """
_EDIT = '<a href="{url}">{label}</a>'
_HIDE = """
            <form method="post" action="{url}" class="inline-form">
              {csrf_token}<input type="hidden" name="hidden" value="{value}">
              <button type="submit" class="link-button">{label}</button>
            </form>
          """


@register.simple_tag(takes_context=True)
def decision_comments(context, comments, can_hide) -> SafeString:
    """The comments' items, each with its edit link when `comment.can_edit` (views/detail.py)
    and, for those who may hide them, the form that hides or shows it again."""
    if not comments:
        return mark_safe("")
    former = gettext("a former participant")
    edited = " · " + gettext("edited")
    hidden_badge = ' · <span class="badge badge-warn">' + gettext("hidden") + "</span>"
    edit_label = gettext("Edit")
    edit_url = hide_url = csrf_token = None
    moment = localised.dates("DATETIME_FORMAT")
    if can_hide:
        hide_url = url_by_name("decisions:comment-hide")
        csrf_token = CsrfTokenNode().render(context)
        hide_labels = {True: gettext("Show again"), False: gettext("Hide")}
    rows = []
    for comment in comments:
        hidden = comment.hidden
        author = comment.author
        edit = ""
        if comment.can_edit:
            if edit_url is None:
                edit_url = url_by_name("decisions:comment-edit")
            edit = _EDIT.format(url=edit_url(comment.pk), label=edit_label)
        rows.append(
            _COMMENT.format(
                hidden_class=" comment-hidden" if hidden else "",
                pk=number(comment.pk),
                author=former if not author else conditional_escape(str(author)),
                written=moment(comment.created_at),
                edited=edited if comment.edited_at else "",
                hidden_badge=hidden_badge if hidden else "",
                text=render_markdown(comment.text),
                edit=edit,
                hide=_HIDE.format(
                    url=hide_url(comment.pk),
                    csrf_token=csrf_token,
                    value="0" if hidden else "1",
                    label=hide_labels[bool(hidden)],
                )
                if can_hide
                else "",
            )
        )
    # People's words are escaped above (their names) or by the Markdown renderer.
    return mark_safe("".join(rows))


# --- The proposal's versions -----------------------------------------------------------------

_VERSION = """
          <li><p class="muted">{label}</p>
            <div class="prose">{text}</div></li>
        """


@register.simple_tag
def proposal_versions(versions) -> SafeString:
    """The proposal's versions as Decision.proposal_versions() gives them, oldest first."""
    message = gettext("Version %(number)s, %(at)s")
    moment = localised.dates("DATETIME_FORMAT")
    return mark_safe(
        "".join(
            _VERSION.format(
                label=message % {"number": number(version["number"]), "at": moment(version["at"])},
                text=render_markdown(version["text"]),
            )
            for version in versions
        )
    )
