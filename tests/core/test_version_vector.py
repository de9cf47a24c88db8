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
