"""Every field and every fixed value of the 8D documents has a translatable label."""

import pytest
from pydantic import BaseModel

from kesu.eightd import content, labels


def _models(model):
    yield model
    for field in model.model_fields.values():
        for candidate in (field.annotation, *getattr(field.annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                yield from _models(candidate)


@pytest.mark.parametrize("code", content.CODES)
def test_every_field_has_a_label(code):
    for model in _models(content.CONTENT[code]):
        for name, field in model.model_fields.items():
            assert (field.alias or name) in labels.FIELDS, f"{model.__name__}.{name}"


@pytest.mark.parametrize(
    "field, enum",
    [
        ("location", content.Location),
        ("category", content.SixM),
        ("cause", content.CauseKind),
        ("kind", content.RolloutKind),
        ("status", content.DocStatus),
    ],
)
def test_every_choice_has_a_label(field, enum):
    assert set(labels.CHOICES[field]) == set(enum)
    assert labels.choice_label(field, enum(next(iter(enum))).value) != ""


def test_unknown_keys_fall_back_to_themselves():
    assert labels.field_label("nonsense") == "nonsense"
    assert labels.choice_label("location", "moon") == "moon"
    assert labels.choice_label("location", None) == ""
