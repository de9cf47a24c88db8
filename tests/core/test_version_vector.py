"""Version vectors are stored as compact JSON with sorted keys, whatever the installation ids look like."""

import json

from hypothesis import given, strategies as st

from ntm_desktop.models.base import vector_json

ids = st.one_of(st.uuids().map(str), st.text(min_size=1, max_size=12))


@given(st.dictionaries(ids, st.integers(min_value=1, max_value=10**9), max_size=5))
def test_vector_json_is_the_json_library_form(vector):
    text = vector_json(vector)
    assert text == json.dumps(vector, sort_keys=True, separators=(",", ":"))
    assert json.loads(text) == vector


def test_an_installation_id_ending_in_a_newline_is_still_stored_as_json():
    """A package may bring any id of up to 64 characters; the stored vector must read back."""
    for vector in ({"abc\n": 1}, {"abc\n": 1, "def": 2}):
        assert json.loads(vector_json(vector)) == vector
