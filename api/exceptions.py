"""Errors as JSON: DRF's own handler, plus the Django ValidationError a service raises (the
same messages the pages show on their fields) as a 400 under the field's name."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(error, context):
    if isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError(as_serializer_error(error))
    return drf_exception_handler(error, context)
