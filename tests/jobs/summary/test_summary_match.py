"""The skill match: aliases and case folded, missing required and preferred, a score."""

from jobs.summary import match_skills, summarize
from jobs.summary.samples import INTERNSHIP_HTML, INTERNSHIP_TITLE, MARKDOWN


def internship():
    return summarize(INTERNSHIP_HTML, INTERNSHIP_TITLE)


def test_aliases_and_case_are_folded():
    m = match_skills(
        summarize(MARKDOWN, "Senior Backend Engineer"),
        ["KUBERNETES", "golang", "postgres", "python"],
    )
    assert {"Kubernetes", "Go", "PostgreSQL", "Python"} <= set(m.matched)
    assert "Kubernetes" not in m.missing_required


def test_missing_required_and_preferred_are_listed_apart():
    m = match_skills(internship(), ["python", "PyTorch", "ML"])
    assert m.matched == ["Machine learning", "Python", "PyTorch"]
    assert "TensorFlow" in m.missing_required and "Deep learning" in m.missing_required
    assert m.missing_preferred == [
        "Natural language processing",
        "Computer vision",
        "Large language models",
    ]
    assert 0 < m.score < 100
    assert m.explanation.startswith("You have 3 of ")
    assert "nice-to-haves; missing" in m.explanation


def test_everything_matched_scores_100():
    s = internship()
    m = match_skills(s, [k.name for k in s.skills])
    assert m.score == 100
    assert m.missing_required == [] and m.missing_preferred == []
    assert m.explanation.endswith("every key skill.")


def test_nothing_matched_scores_0():
    m = match_skills(internship(), ["Underwater basket weaving"])
    assert m.score == 0 and m.matched == []


def test_an_empty_profile_is_invited_to_add_skills():
    m = match_skills(internship(), [])
    assert m.score == 0
    assert m.explanation == "Add skills to your profile to see how well you match."
    assert "Python" in m.missing_required


def test_a_stored_summary_dict_and_a_posting_without_skills():
    assert match_skills(internship().to_dict(), ["python"]).matched == ["Python"]
    assert match_skills(None, ["python"]).explanation == "The posting names no skills we recognise."
    assert match_skills(summarize(""), ["python"]).score == 0


def test_preferred_skills_weigh_less_than_required_ones():
    s = internship()
    required_only = match_skills(s, ["Python"]).score
    preferred_only = match_skills(s, ["Computer vision"]).score
    assert required_only > preferred_only > 0
