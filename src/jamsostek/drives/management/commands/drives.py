"""``jamsostek drives {rules,fund,import-list,lists,prepare,show,approve,reject,enrol,renew,renewals,plan}``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jamsostek.accounts.policy import SYSTEM
from jamsostek.core.bulk.importer import stderr_progress
from jamsostek.core.cli import count, date_option, month_option
from jamsostek.core.constants import PROVINCE
from jamsostek.core.errors import NotFound
from jamsostek.drives import present, selectors, services
from jamsostek.drives.funding import CATEGORIES
from jamsostek.drives.models import ListSource
from jamsostek.registry import selectors as registry

EXIT_REJECTED = 2


class Command(BaseCommand):
    help = (
        "Sponsored enrolment drives: who may pay for whom, fund a program, import and check a list of names, "
        "prepare, approve, enrol and renew a drive, list renewals and lapses, plan what a budget buys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("rules", help="who may pay for whom (funding sources, categories, citations)")
        fund = self._with_actor(actions.add_parser("fund", help="set the funding of a sponsor program"))
        fund.add_argument("program", help="the sponsor program's code")
        fund.add_argument(
            "--source",
            required=True,
            help="province_apbd, regency_apbd, apbdes, dana_desa, add, dbh_sawit, csr or other",
        )
        fund.add_argument("--ceiling", type=int, required=True, help="budget ceiling, rupiah")
        fund.add_argument("--instrument", required=True, help="pergub, kepgub, perbup, kepbup, perdes, dpa, mou, other")
        fund.add_argument("--number", required=True, help="the instrument's number")
        fund.add_argument("--instrument-date", required=True, help="YYYY-MM-DD")
        fund.add_argument("--prepare", default="regency", help="levels that prepare drives: employer,regency,province")
        fund.add_argument("--approve", default="regency,province", help="levels that approve drives")
        fund.add_argument("--owner", help="NPP of the agency or village government holding the budget")
        imported = self._with_actor(actions.add_parser("import-list", help="import and check a list of names"))
        imported.add_argument("file", help="CSV (UTF-8) or XLSX")
        imported.add_argument("--name", required=True)
        imported.add_argument("--source", required=True, choices=ListSource.values)
        imported.add_argument("--date", required=True, help="date of the list, YYYY-MM-DD")
        imported.add_argument("--region", required=True, help="the region the list covers (61, 61.04, ...)")
        imported.add_argument("--category", default="vulnerable", choices=CATEGORIES)
        imported.add_argument("--owner", help="NPP of the agency or village government whose list it is")
        lists = self._with_actor(actions.add_parser("lists", help="the lists of names"))
        lists.add_argument("--show", type=int, help="a list's id: its rejected rows with their reasons")
        prepare = self._with_actor(actions.add_parser("prepare", help="prepare a drive from lists of names"))
        prepare.add_argument("--program", required=True, help="the funded sponsor program's code")
        prepare.add_argument("--code", required=True)
        prepare.add_argument("--name", required=True)
        prepare.add_argument("--list", type=int, action="append", required=True, help="a list's id (repeat)")
        prepare.add_argument("--category", action="append", choices=CATEGORIES, help="only these (repeat)")
        prepare.add_argument("--quota", action="append", default=[], help="DISTRICT[/VILLAGE]=PERSONS (repeat)")
        prepare.add_argument("--first-month", help="YYYY-MM (default: the program's first month)")
        for name, text in (
            ("show", "a drive"),
            ("approve", "approve a drive"),
            ("reject", "reject a drive"),
            ("enrol", "enrol an approved drive"),
            ("renew", "renew an enrolled drive"),
        ):
            step = self._with_actor(actions.add_parser(name, help=text))
            step.add_argument("code", help="the drive's code")
            if name == "enrol":
                step.add_argument("--on", help="protected from this day's month, YYYY-MM-DD (default today)")
            if name == "renew":
                step.add_argument("--program", required=True, help="the program funded for the next fiscal year")
                step.add_argument("--new-code", required=True, help="the renewal's code")
        renewals = self._with_actor(actions.add_parser("renewals", help="drives to renew and who would lapse"))
        renewals.add_argument("--on", help="YYYY-MM-DD (default today; listed from October)")
        demo = actions.add_parser("demo", help="synthetic lists and drives for the synthetic province (jamsostek demo)")
        demo.add_argument("--scale", type=float, default=0.02, help="the synthetic province's scale")
        demo.add_argument("--seed", type=int, default=2025)
        demo.add_argument("--as-of", help="reference day YYYY-MM-DD (default today)")
        plan = self._with_actor(actions.add_parser("plan", help="what a budget buys; the cheapest way to a target"))
        plan.add_argument("--year", type=int, required=True, help="fiscal year")
        plan.add_argument("--month", type=int, default=12, help="target month, 1-12 (default 12)")
        plan.add_argument("--mode", default="province", choices=["province", "regencies", "both"])
        plan.add_argument("--percent", help="target in percent (default: the published targets)")
        plan.add_argument("--source", action="append", choices=selectors.PLAN_SOURCES, help="only these (repeat)")
        plan.add_argument("--package", action="append", help="only these packages (repeat)")
        plan.add_argument("--ceiling", action="append", default=[], help="SOURCE=RUPIAH (repeat)")
        plan.add_argument("--budget", type=int, help="instead: what this budget buys in --region")
        plan.add_argument("--region", help="with --budget: the province (61) or a regency")

    @staticmethod
    def _with_actor(parser: CommandParser) -> CommandParser:
        parser.add_argument("--user", help="username of the acting user (default: the system)")
        parser.add_argument("--reason", help="why (kept in the audit record)")
        return parser

    def handle(self, *args: Any, **options: Any) -> None:
        self.actor = self._actor(options.get("user"))
        self.reader: Any = self.actor if self.actor is not None else SYSTEM
        self.reason = options.get("reason") or _("jamsostek drives %(action)s") % {"action": options["action"]}
        getattr(self, "do_" + options["action"].replace("-", "_"))(options)

    def _actor(self, username: str | None) -> Any:
        if not username:
            return None
        from jamsostek.accounts.models import User

        actor = User.objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(_("user: no active user %(user)r") % {"user": username}, returncode=EXIT_REJECTED)
        return actor

    def _owner(self, npp: str | None) -> Any:
        if not npp:
            return None
        owner = registry.employer_list(visible_to=self.reader).filter(npp=npp).first()
        if owner is None:
            raise NotFound(_("no record with this code that you may see"), field="owner")
        return owner

    def _drive(self, code: str) -> Any:
        drive = selectors.drive_list(visible_to=self.reader).filter(code=code).first()
        if drive is None:
            raise NotFound(_("no drive with this code that you may see"), field="code")
        return drive

    # --- the actions ---

    def do_rules(self, options: dict[str, Any]) -> None:
        for rule in selectors.funding_rule_list():
            item = present.funding_rule(rule)
            where = item["region"] or _("the province")
            mark = "" if item["confirmed"] else " " + _("(UNCONFIRMED)")
            self.stdout.write(
                f"{item['source']:<14} {', '.join(item['pays_for']):<45} {where:<12} "
                f"{item['valid_from']} {item['reference']}{mark}"
            )

    def do_fund(self, options: dict[str, Any]) -> None:
        program = registry.sponsor_program_list(visible_to=self.reader).filter(code=options["program"]).first()
        if program is None:
            raise NotFound(_("no record with this code that you may see"), field="program")
        funding = services.funding_set(
            actor=self.actor,
            program=program,
            source=options["source"],
            budget_ceiling=options["ceiling"],
            instrument_kind=options["instrument"],
            instrument_number=options["number"],
            instrument_date=date_option(options["instrument_date"], "instrument-date", timezone.localdate()),
            prepare_levels=options["prepare"].split(","),
            approve_levels=options["approve"].split(","),
            owner=self._owner(options["owner"]),
            reason=self.reason,
        )
        self.stdout.write(
            _("%(program)s: %(source)s, %(year)s, ceiling Rp%(ceiling)s")
            % {
                "program": program.code,
                "source": funding.get_source_display(),
                "year": funding.fiscal_year,
                "ceiling": count(funding.budget_ceiling),
            }
        )

    def do_import_list(self, options: dict[str, Any]) -> None:
        listed = services.candidate_list_import(
            actor=self.actor,
            path=Path(options["file"]),
            name=options["name"],
            source=options["source"],
            source_date=date_option(options["date"], "date", timezone.localdate()),
            region_code=options["region"],
            default_category=options["category"],
            owner=self._owner(options["owner"]),
            reason=self.reason,
        )
        self.stdout.write(
            _("list %(id)s: %(rows)s rows, %(usable)s usable, %(rejected)s rejected")
            % {
                "id": listed.pk,
                "rows": count(listed.rows),
                "usable": count(listed.usable),
                "rejected": count(listed.rejected),
            }
        )
        self._rejected(listed, limit=10)

    def _rejected(self, listed: Any, limit: int) -> None:
        policy = self.reader
        from jamsostek.accounts.policy import for_user

        rows = selectors.candidate_rows(visible_to=self.reader, listed=listed, status="rejected")[:limit]
        for row in rows:
            item = present.candidate(for_user(policy), row)
            self.stdout.write("  " + _("row %(row)s: %(field)s: %(reason)s") % item)

    def do_lists(self, options: dict[str, Any]) -> None:
        if options["show"]:
            listed = selectors.candidate_list_get(visible_to=self.reader, pk=options["show"])
            self._rejected(listed, limit=1_000)
            return
        for listed in selectors.candidate_list_list(visible_to=self.reader):
            self.stdout.write(
                f"{listed.pk:>5} {listed.name:<40} {listed.source:<16} {listed.source_date} "
                f"{listed.region_id:<6} {count(listed.usable):>9} / {count(listed.rows)}"
            )

    def do_prepare(self, options: dict[str, Any]) -> None:
        program = selectors.funded_program_get(visible_to=self.reader, code=options["program"])
        lists = [selectors.candidate_list_get(visible_to=self.reader, pk=pk) for pk in options["list"]]
        quotas = {}
        for item in options["quota"]:
            key, _sep, value = item.partition("=")
            if not value.isdigit():
                raise CommandError(_("quota: write DISTRICT[/VILLAGE]=PERSONS"), returncode=EXIT_REJECTED)
            quotas[key] = int(value)
        first = month_option(options["first_month"], "first-month") if options["first_month"] else None
        drive = services.drive_prepare(
            actor=self.actor,
            program=program,
            code=options["code"],
            name=options["name"],
            lists=lists,
            categories=options["category"],
            quotas=quotas,
            first_month=first,
            reason=self.reason,
        )
        self._show(drive)

    def _show(self, drive: Any) -> None:
        item = present.drive(drive)
        self.stdout.write(
            _("%(code)s: %(status)s, %(members)s members, Rp%(cost)s (ceiling Rp%(ceiling)s)")
            % {
                "code": item["code"],
                "status": item["status_name"],
                "members": count(item["members"]),
                "cost": count(item["cost"]),
                "ceiling": count(item["budget_ceiling"]),
            }
        )
        for excluded in item["excluded"].values():
            self.stdout.write(
                "  "
                + _("left out: %(reason)s: %(count)s")
                % {"reason": excluded["reason"], "count": count(excluded["count"])}
            )

    def do_show(self, options: dict[str, Any]) -> None:
        self._show(self._drive(options["code"]))

    def do_approve(self, options: dict[str, Any]) -> None:
        self._show(services.drive_approve(actor=self.actor, drive=self._drive(options["code"]), reason=self.reason))

    def do_reject(self, options: dict[str, Any]) -> None:
        self._show(services.drive_reject(actor=self.actor, drive=self._drive(options["code"]), reason=self.reason))

    def do_enrol(self, options: dict[str, Any]) -> None:
        on = date_option(options["on"], "on", timezone.localdate())
        drive = services.drive_enrol(actor=self.actor, drive=self._drive(options["code"]), on=on, reason=self.reason)
        self._show(drive)
        skipped = drive.members.filter(status="skipped").count()
        self.stdout.write(
            _("enrolled %(enrolled)s, not enrolled %(skipped)s, protected from %(day)s")
            % {
                "enrolled": count(drive.members.filter(status="enrolled").count()),
                "skipped": count(skipped),
                "day": drive.enrolled_from,
            }
        )

    def do_renew(self, options: dict[str, Any]) -> None:
        program = selectors.funded_program_get(visible_to=self.reader, code=options["program"])
        renewal = services.drive_renew(
            actor=self.actor,
            drive=self._drive(options["code"]),
            program=program,
            code=options["new_code"],
            reason=self.reason,
        )
        self._show(renewal)

    def do_renewals(self, options: dict[str, Any]) -> None:
        on = date_option(options["on"], "on", timezone.localdate())
        answer = present.renewals(selectors.renewal_list(visible_to=self.reader, on=on))
        if not answer["listed"]:
            self.stdout.write(_("drives are listed for renewal from October"))
            return
        for row in answer["drives"]:
            self.stdout.write(
                f"{row['drive']:<20} {count(row['enrolled']):>9} "
                + _("would lapse")
                + f" {count(row['lapsing']):>9} {row['renewal'] or '-'}"
            )
        for row in answer["regencies"]:
            loss = "-" if row["loss"] is None else f"{row['loss']}"
            self.stdout.write(f"{row['name']:<20} {count(row['lapsing']):>9} UCJ -{loss}")

    def do_demo(self, options: dict[str, Any]) -> None:
        from jamsostek.drives.synth import generate

        as_of = date_option(options["as_of"], "as-of", timezone.localdate())
        directory = Path(settings.DATA_DIR) / f"drives-seed{options['seed']}-scale{options['scale']:g}"
        made = generate(scale=options["scale"], seed=options["seed"], as_of=as_of, directory=directory,
                        progress=stderr_progress)  # fmt: skip
        if made is None:
            self.stdout.write(_("the synthetic drives are already there: kept"))
            return
        self.stdout.write(_("%(lists)s lists of names and %(drives)s drives") % {
            "lists": count(len(made.lists)), "drives": count(len(made.drives))})  # fmt: skip

    def do_plan(self, options: dict[str, Any]) -> None:
        if options["budget"] is not None:
            answer = present.budget_plan(
                selectors.plan_budget(
                    visible_to=self.reader,
                    region=options["region"] or PROVINCE,
                    budget=options["budget"],
                    package=(options["package"] or ["jkk_jkm_12"])[0],
                    year=options["year"],
                )
            )
            self.stdout.write(
                _("Rp%(budget)s protects %(workers)s workers in %(name)s (%(package)s, Rp%(per)s each)")
                % {
                    "budget": count(answer["budget"]),
                    "workers": count(answer["workers"]),
                    "name": answer["name"],
                    "package": answer["package_name"],
                    "per": count(answer["cost_per_worker"]),
                }
            )
            for row in answer["months"]:
                self.stdout.write(
                    f"  {options['year']}-{row['month']:02d} {count(row['participants']):>10} "
                    f"{row['ucj'] if row['ucj'] is not None else '-'}"
                )
            return
        percent = None
        if options["percent"]:
            try:
                percent = Decimal(options["percent"])
            except InvalidOperation:
                raise CommandError(_("percent: not a number"), returncode=EXIT_REJECTED) from None
        ceilings = {}
        for item in options["ceiling"]:
            key, _sep, value = item.partition("=")
            if not value.isdigit():
                raise CommandError(_("ceiling: write SOURCE=RUPIAH"), returncode=EXIT_REJECTED)
            ceilings[key] = int(value)
        answer = present.target_plan(
            selectors.plan_target(
                visible_to=self.reader,
                year=options["year"],
                month=options["month"],
                mode=options["mode"],
                percent=percent,
                sources=options["source"],
                packages=options["package"],
                ceilings=ceilings,
            )
        )
        self.stdout.write(
            _("needed %(needed)s workers; the plan enrols %(workers)s for Rp%(cost)s; %(outcome)s")
            % {
                "needed": count(answer["needed"]),
                "workers": count(answer["workers"]),
                "cost": count(answer["cost"]),
                "outcome": _("target reached")
                if answer["reached"]
                else _("short by %(short)s") % {"short": count(answer["shortfall"])},
            }
        )
        for row in answer["budget"]:
            self.stdout.write(
                f"  {row['name']:<20} {row['source']:<14} {count(row['workers']):>9} Rp{count(row['cost']):>18}"
            )
