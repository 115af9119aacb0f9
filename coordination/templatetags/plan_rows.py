"""`{{ activity|activity_row }}`: a task area's activity row, written in Python
(`coordination.rows`)."""

from django import template

from coordination.rows import activity_row

register = template.Library()
register.filter("activity_row", activity_row, is_safe=True)
