"""Property: a family is found by the start of any word of any adult's or child's name,
however it is accented or cased, and typed in any case."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccc_desktop.models.storage.families import fold, words
from tests.family_helpers import child, referral, resident

_word = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéèöüñçABCDEZÉÖ'-"), min_size=1,
                max_size=10).filter(lambda w: words(w))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(adult=st.lists(_word, min_size=1, max_size=3), kid=st.lists(_word, min_size=1, max_size=3),
       data=st.data())
def test_any_word_prefix_finds_the_family(coordinator, adult, kid, data) -> None:  # type: ignore[no-untyped-def]
    fid = coordinator.families.create(referral(), [resident(full_name=" ".join(adult))],
                                      [child(full_name=" ".join(kid))])
    word = data.draw(st.sampled_from(words(" ".join(adult + kid))))
    prefix = word[: data.draw(st.integers(1, len(word)))]
    typed = data.draw(st.sampled_from([prefix, prefix.upper()]))
    assert fid in [r.id for r in coordinator.families.search(typed)]
    assert fold(typed) == fold(fold(typed))
