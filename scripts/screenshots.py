"""Screenshots of CareNet's main pages for a human to look at (ro + another language, 1280 and 360 wide).

Usage: with `make run` (or runserver) on 127.0.0.1:8000 and the demo loaded:
    .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out var/screenshots]
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

PUBLIC = [
    ("home", "/"),
    ("portal-bm", "/baia-mare/"),
    ("finder-bm", "/baia-mare/services/?q=batrani"),
    ("help-balti", "/balti/help/"),
    ("plans-balti", "/balti/plans/"),
    ("public-dashboard-bm", "/baia-mare/dashboard/"),
    ("volunteer-bm", "/baia-mare/volunteer/"),
    ("rewards-bm", "/baia-mare/volunteer/rewards/"),
    ("care-bm", "/baia-mare/care/"),
    ("training-catalogue-bm", "/baia-mare/training/"),  # training (issue 22)
    ("training-certificate-check-bm", "/baia-mare/training/certificates/"),
    ("housing-ranking-bm", "/baia-mare/housing/ranking/"),
]
STAFF = [
    (
        "baiamare.caseworker",
        [
            ("home-caseworker", "/dashboard/"),
            ("workspace", "/cases/"),
            ("directory", "/directory/"),
            ("referrals", "/referrals/"),
        ],
    ),
    ("baiamare.manager", [("home-manager", "/dashboard/")]),
    ("balti.coordinator", [("home-coordinator", "/dashboard/")]),
    ("balti.auditor", [("home-auditor", "/dashboard/")]),
    (
        "baiamare.coordinator",
        [
            ("coord-dashboard", "/dashboards/"),
            ("help-queue", "/portal/help/"),
            ("housing", "/housing/"),
            ("housing-places", "/housing/places/"),
        ],
    ),
    # The social canteen (issue 18): home, reports, rules (the coordinator sees every unit).
    ("baiamare.coordinator", [("canteen", "/canteen/"), ("canteen-reports", "/canteen/reports/")]),
    ("balti.coordinator", [("plans", "/plans/"), ("dashboard", "/dashboard/")]),
    # campaigns (issue 20): the coordinator's campaigns, register and heat map; a caseworker's call lists
    (
        "baiamare.coordinator",
        [("campaigns", "/campaigns/"), ("at-risk-register", "/campaigns/register/"), ("heat", "/campaigns/heat/")],
    ),
    ("baiamare.caseworker", [("my-call-lists", "/campaigns/")]),
    ("baiamare.coordinator", [("volunteering", "/volunteering/"), ("care", "/care/")]),
    # training (issue 22): the caseworker's training page and the coordinator's figures
    ("baiamare.caseworker", [("training", "/training/")]),
    ("baiamare.coordinator", [("training-figures", "/training/figures/"), ("training-rooms", "/training/rooms/")]),
    (
        "balti.manager",
        [("staff-register", "/activities/registers/staff/"), ("sub-plans", "/activities/registers/subplans/")],
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--langs", default="ro,ru")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for lang in args.langs.split(","):
            for width in (1280, 360):
                ctx = browser.new_context(viewport={"width": width, "height": 900}, locale=lang)
                ctx.add_cookies([{"name": "django_language", "value": lang, "url": args.base}])
                page = ctx.new_page()
                for name, path in PUBLIC:
                    page.goto(args.base + path)
                    page.screenshot(path=str(out / f"{name}-{lang}-{width}.png"), full_page=True)
                for user, pages in STAFF:
                    page.goto(args.base + "/account/login/")
                    page.fill("input[name=username]", user)
                    page.fill("input[name=password]", "carenet-demo-2026")
                    page.click("main button[type=submit]")
                    for name, path in pages:
                        page.goto(args.base + path)
                        page.screenshot(path=str(out / f"{name}-{lang}-{width}.png"), full_page=True)
                    ctx.clear_cookies()
                    ctx.add_cookies([{"name": "django_language", "value": lang, "url": args.base}])
                ctx.close()
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
