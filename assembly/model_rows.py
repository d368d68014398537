"""A row's model instance made without Model.__init__'s work per field (issue 24).

Django makes the instance of each row a query reads by `Model.from_db`, which calls
`Model(*values)`: `__init__` sends `pre_init` and `post_init`, then sets the fields' values one by
one through `setattr` (a foreign key's through its descriptor's `__set__`), and, when columns are
deferred (`.only()`), `from_db` first builds a list that puts DEFERRED in their places. About 30
calls an instance, and a page's first view makes 30 to 45 of them.

For a model whose instances nothing watches, what `__init__` leaves is an instance whose `_state`
is a new ModelState and whose `__dict__` holds each loaded field's value under its attribute name
(a deferred field has no entry: it is loaded when read). `from_db` below makes exactly that, for
models where it is so:

- no receiver of `pre_init` or `post_init` is connected (looked at for each row: a test, or an
  ImageField with dimensions, may connect one);
- neither the model nor any of its bases defines an `__init__` (Model's calls its bases' too),
  `__new__` or `__setattr__`;
- each field's attribute is Django's own: a DeferredAttribute (which `setattr` passes by, to the
  instance's `__dict__`), or a foreign key's, whose `__set__` on a new instance only stores the
  value there. Any other descriptor (a file's, a project's own) keeps Django's way for its model.

Any other model, and any model while a receiver is connected, is made by Django's `from_db`.
Installed on `Model` (`install`, from the assembly's AppConfig.ready); a model that defines its
own `from_db` keeps it.
"""

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.signals import post_init, pre_init

_django_from_db = Model.from_db.__func__

# Model class -> its concrete fields' attribute names, in order, or None where Django's own
# from_db must make its instances. Depends on the code only.
_attnames: dict[type, tuple[str, ...] | None] = {}


def _plain_attnames(cls) -> tuple[str, ...] | None:
    """The model's concrete fields' attribute names if setting them is only storing them."""
    own_init = any("__init__" in k.__dict__ for k in cls.__mro__ if k not in (Model, object))
    if own_init or cls.__new__ is not object.__new__ or cls.__setattr__ is not object.__setattr__:
        return None
    attnames = tuple(field.attname for field in cls._meta.concrete_fields)
    for attname in attnames:
        attribute = next((k.__dict__[attname] for k in cls.__mro__ if attname in k.__dict__), None)
        if type(attribute) is not ForeignKeyDeferredAttribute and hasattr(attribute, "__set__"):
            return None
    return attnames


def from_db(cls, db, field_names, values):
    """Model.from_db, without `__init__` where it would only store the values (see above)."""
    try:
        attnames = _attnames[cls]
    except KeyError:
        attnames = _attnames[cls] = _plain_attnames(cls)
    if attnames is None or pre_init.receivers or post_init.receivers:
        return _django_from_db(cls, db, field_names, values)
    new = cls.__new__(cls)
    state = new._state = ModelState()
    state.adding = False
    state.db = db
    if len(values) == len(attnames):
        new.__dict__.update(zip(attnames, values, strict=True))
    else:  # deferred columns: `field_names` are the loaded ones, in the fields' order
        new.__dict__.update(zip(field_names, values, strict=True))
    return new


def install() -> None:
    Model.from_db = classmethod(from_db)
