"""Staff space (/agents): nothing below the sign-in gate runs for a visitor."""

from ui.frame import load_office_or_stop
from ui.staff_login import require_staff
from ui.staff_space import render_staff_space

office = load_office_or_stop()
staff = require_staff()
render_staff_space(office, staff)
