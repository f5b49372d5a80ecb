"""graders/support/assertions.py: a wrong value that equals a known mistake's is named, with that mistake's advice."""
import re

import pytest
import torch

from graders.support.assertions import assert_scalar, assert_tensor

WANT = torch.tensor([[0.25, 0.75], [0.5, 0.5]])
MISTAKES = {("the softmax runs over the wrong axis.", "Normalise over the last axis."): torch.tensor([[0.3, 0.7],
                                                                                                     [0.7, 0.3]]),
            "the mask is inverted.": [torch.tensor([[1.0, 0.0], [0.0, 1.0]]), torch.full((2, 2), float("nan"))]}


def test_a_value_a_known_mistake_gives_is_named_with_its_advice():
    with pytest.raises(AssertionError) as error:
        assert_tensor(torch.tensor([[0.3, 0.7], [0.7, 0.3]]), WANT, "weights", hint="fixed hint", mistakes=MISTAKES)
    assert "weights: your result is what this mistake gives: the softmax runs over the wrong axis." in str(error.value)
    assert "Normalise over the last axis." in str(error.value) and "fixed hint" not in str(error.value)


def test_any_way_of_writing_the_mistake_names_it_and_nans_match_nans():
    with pytest.raises(AssertionError, match="the mask is inverted"):
        assert_tensor(torch.full((2, 2), float("nan")), WANT, "weights", mistakes=MISTAKES)


def test_a_wrong_value_that_is_no_known_mistake_says_what_differs_and_the_fixed_hint():
    with pytest.raises(AssertionError) as error:
        assert_tensor(torch.zeros(2, 2), WANT, "weights", hint="fixed hint", mistakes=MISTAKES)
    assert "4 of 4 values differ" in str(error.value) and "fixed hint" in str(error.value)


def test_a_right_value_passes_even_when_a_mistake_gives_it_too():
    assert_tensor(WANT.clone(), WANT, "weights", mistakes={"a mistake that changes nothing here.": WANT})


def test_a_number_a_known_mistake_gives_is_named_too():
    with pytest.raises(AssertionError, match="your result is what this mistake gives: batch means averaged."):
        assert_scalar(0.75, 0.5, "mean loss", mistakes={"batch means averaged.": 0.75, "summed.": 2.0})
    with pytest.raises(AssertionError, match="expected 0.5, got 0.6"):
        assert_scalar(0.6, 0.5, "mean loss", mistakes={"batch means averaged.": 0.75})


def test_when_two_mistakes_both_match_the_nearer_one_names_it():
    # 5.3's latent loss: leaving the scaling factor out and applying it twice can give losses within tolerance of
    # each other; the one listed first must not win over the one the student's value equals.
    close_mistakes = {"the factor is left out.": torch.tensor(1.0000),
                      "the factor is applied twice.": torch.tensor(1.00004)}
    with pytest.raises(AssertionError, match="applied twice"):
        assert_tensor(torch.tensor(1.00004), torch.tensor(2.0), "loss", rtol=1e-4, atol=0.0, mistakes=close_mistakes)
    with pytest.raises(AssertionError, match="left out"):
        assert_tensor(torch.tensor(1.0), torch.tensor(2.0), "loss", rtol=1e-4, atol=0.0, mistakes=close_mistakes)


@pytest.mark.parametrize("got, says", [
    (-torch.tensor([[1.0, 2.0], [3.0, 4.0]]), "opposite sign"),
    (torch.tensor([[2.0, 4.0], [6.0, 8.0]]), "Every value is 2 times the expected one"),
    (torch.tensor([[1.5, 2.5], [3.5, 4.5]]), "by the same 0.5"),
    (torch.tensor([[1.0, 3.0], [2.0, 4.0]]), "transposed"),
    (torch.tensor([[4.0, 3.0], [2.0, 1.0]]), "the expected values, in other places"),
    (torch.tensor([[1.0, float("nan")], [3.0, 4.0]]), "NaN or infinity"),
    (torch.zeros(2, 2), "Every value of your result is the same, 0"),
])
def test_a_wrong_tensor_says_how_it_relates_to_the_expected_one(got, says):
    with pytest.raises(AssertionError, match=re.escape(says)):
        assert_tensor(got, torch.tensor([[1.0, 2.0], [3.0, 4.0]]), "result")


def test_a_wrong_tensor_with_no_pattern_says_only_what_differs():
    with pytest.raises(AssertionError) as error:
        assert_tensor(torch.tensor([[1.0, 2.0], [3.0, 5.0]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]), "result")
    assert str(error.value).rstrip().endswith("got:      [1.0, 2.0, 3.0, 5.0]")


@pytest.mark.parametrize("got, says", [(-0.5, "the opposite of"), (4.0, "8 times"), (0.125, "1/4 of")])
def test_a_wrong_number_says_when_it_is_a_whole_multiple_of_the_expected_one(got, says):
    with pytest.raises(AssertionError, match=re.escape(says)):
        assert_scalar(got, 0.5, "mean loss")


def test_a_wrong_number_in_no_whole_ratio_says_only_the_two_numbers():
    with pytest.raises(AssertionError) as error:
        assert_scalar(0.7, 0.5, "mean loss")
    assert str(error.value) == "mean loss: expected 0.5, got 0.7."


def test_a_plain_value_a_known_mistake_gives_is_named_and_carries_its_cause():
    from graders.support.assertions import assert_equal
    mistakes = {("not lower-cased.", "Call lower() first."): ["The", "cat"]}
    with pytest.raises(AssertionError, match="your result is what this mistake gives: not lower-cased") as error:
        assert_equal(["The", "cat"], ["the", "cat"], "tokenize('The cat')", hint="fixed", mistakes=mistakes)
    assert "Call lower() first." in str(error.value) and error.value.ptgrade_mistake == "not lower-cased."
    with pytest.raises(AssertionError, match=re.escape("expected ['the', 'cat'], got ['a']")):
        assert_equal(["a"], ["the", "cat"], "tokenize('The cat')", mistakes=mistakes)
    assert assert_equal(["the"], ["the"], "tokenize('the')") == ["the"]
