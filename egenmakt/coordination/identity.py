"""Swedish personal identity numbers (personnummer) and co-ordination numbers
(samordningsnummer), checked with python-stdnum.

A co-ordination number is a personnummer whose day of birth is increased by 60. Some
python-stdnum releases refuse such numbers as an invalid date (2.2 does), so this wrapper
checks the check digit with stdnum's Luhn, the date with the 60 taken off, and keeps the
number as given (+60 included). Numbers are stored in the 12-digit form YYYYMMDDNNNC.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import personnummer

COORDINATION_DAY_OFFSET = 60


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # YYYYMMDDNNNC
    coordination: bool

    @property
    def birth_date(self) -> datetime.date:
        day = int(self.digits[6:8]) - (COORDINATION_DAY_OFFSET if self.coordination else 0)
        return datetime.date(int(self.digits[:4]), int(self.digits[4:6]), day)

    @property
    def display(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"

    @property
    def masked(self) -> str:
        """For lists and logs: the birth date only, never the last four digits."""
        return f"{self.digits[:8]}-****"


def parse_identity_number(value: str) -> IdentityNumber:
    """Parse and check a personnummer or samordningsnummer; ``ValidationError`` with a
    clear message in the user's language when it is not one."""
    raw = (value or "").strip()
    compact = personnummer.compact(raw) if raw else ""
    digits = compact.replace("-", "").replace("+", "")
    if not digits.isdigit() or len(digits) not in (10, 12):
        raise ValidationError(
            _("Write the number as YYYYMMDD-NNNN (12 digits) or YYMMDD-NNNN."), code="format"
        )
    day = int(digits[-6:-4])
    coordination = day > COORDINATION_DAY_OFFSET
    separator = "+" if "+" in raw else "-"
    try:
        luhn.validate(digits[-10:])  # the check digit covers the number as given
        if coordination:
            # Take the 60 off the day and let stdnum check the date and the rest.
            real = digits[:-6] + f"{day - COORDINATION_DAY_OFFSET:02d}" + digits[-4:]
            probe = real[:-1] + luhn.calc_check_digit(real[-10:-1])
            birth = personnummer.get_birth_date(probe[:-4] + separator + probe[-4:])
        else:
            personnummer.validate(compact)
            birth = personnummer.get_birth_date(compact)
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The last digit does not match: check the number."), code="checksum"
        ) from exc
    except (StdnumError, ValueError) as exc:
        raise ValidationError(
            _("This is not a valid personal identity or co-ordination number."), code="invalid"
        ) from exc
    return IdentityNumber(f"{birth.year:04d}{digits[-8:]}", coordination)
