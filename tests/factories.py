"""Factories for master data and organisation. Complaints are made through the services."""

import datetime

import factory
from factory.django import DjangoModelFactory

from kesu.masterdata import models as md
from kesu.org import models as org


class CenterFactory(DjangoModelFactory):
    class Meta:
        model = org.Center
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"C{n:02d}")
    name = factory.Sequence(lambda n: f"中心{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = org.Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"部门{n}")
    center = factory.SubFactory(CenterFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = org.User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    role = org.Role.ENGINEER
    password = factory.PostGenerationMethodCall("set_password", "pass-word-1")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CustomerFactory(DjangoModelFactory):
    class Meta:
        model = md.Customer
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CU{n:03d}")
    name = factory.Sequence(lambda n: f"客户{n}有限公司")
    grade = md.CustomerGrade.KEY


class ProductLineFactory(DjangoModelFactory):
    class Meta:
        model = md.ProductLine
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PL{n:02d}")
    name = factory.Sequence(lambda n: f"产品线{n}")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = md.Product
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"产品{n}")
    product_line = factory.SubFactory(ProductLineFactory)


class DefectCodeFactory(DjangoModelFactory):
    class Meta:
        model = md.DefectCode
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DF{n:03d}")
    name = factory.Sequence(lambda n: f"缺陷{n}")


class LotFactory(DjangoModelFactory):
    class Meta:
        model = md.Lot
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: f"L2026{n:05d}")
    product = factory.SubFactory(ProductFactory)
    customer = factory.SubFactory(CustomerFactory)
    quantity = 1000
    ship_date = datetime.date(2026, 10, 1)
