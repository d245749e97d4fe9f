"""Date formats for English, over Django's own (in Django 5 a locale's formats win over
settings.DATETIME_FORMAT). Times have seconds, so that two changes made in one minute are told
apart in the admin's history; and say their time zone."""

DATETIME_FORMAT = "N j, Y, H:i:s T"
