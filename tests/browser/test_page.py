"""The phonebook page in headless Chromium, with JavaScript on and off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.support import Service
from tests.web.helpers import NODE_HOSTNAME, unique_name, unique_phone

pytestmark = pytest.mark.browser


def add_entry(page: Page, name: str, phone: str) -> None:
    """Fill in and submit the add form, then wait for the success notice."""
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Phone", exact=True).fill(phone)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_test_id("notice")).to_have_text(f"Added {name}.")


def search(page: Page, query: str) -> None:
    page.get_by_role("searchbox", name="Name or phone").fill(query)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("searchbox", name="Name or phone")).to_have_value(query)


def test_header_shows_node_hostname(page: Page, web_server: Service) -> None:
    page.goto(web_server.url)

    expect(page).to_have_title("Phonebook")
    expect(page.get_by_role("heading", name="Phonebook", level=1)).to_be_visible()
    expect(page.get_by_test_id("node-hostname")).to_have_text(NODE_HOSTNAME)


def test_page_loads_without_policy_violations(page: Page, web_server: Service) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))

    page.goto(web_server.url)
    page.wait_for_load_state("networkidle")

    violations = [text for text in messages if "Content Security Policy" in text]
    assert violations == []


def test_add_entry_shows_row(page: Page, web_server: Service) -> None:
    name = unique_name("Browser")
    phone = unique_phone()
    page.goto(web_server.url)

    add_entry(page, name, phone)
    search(page, name)

    row = page.get_by_role("row").filter(has_text=name)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text(phone)


def test_add_duplicate_phone_shows_reason_and_keeps_input(
    page: Page, web_server: Service
) -> None:
    phone = unique_phone()
    second_name = unique_name("Second")
    page.goto(web_server.url)
    add_entry(page, unique_name("First"), phone)

    page.get_by_label("Name", exact=True).fill(second_name)
    page.get_by_label("Phone", exact=True).fill(phone)
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("phone")
    expect(page.get_by_label("Name", exact=True)).to_have_value(second_name)
    expect(page.get_by_label("Phone", exact=True)).to_have_value(phone)


def test_edit_entry_through_inline_form(page: Page, web_server: Service) -> None:
    name = unique_name("Before")
    new_name = unique_name("After")
    new_phone = unique_phone()
    page.goto(web_server.url)
    add_entry(page, name, unique_phone())
    search(page, name)

    page.get_by_role("link", name=f"Edit {name}").click()
    expect(page.get_by_label("New name")).to_be_focused()
    page.get_by_label("New name").fill(new_name)
    page.get_by_label("New phone").fill(new_phone)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("notice")).to_have_text(f"Saved {new_name}.")
    search(page, new_name)
    row = page.get_by_role("row").filter(has_text=new_name)
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text(new_phone)


def test_edit_cancel_keeps_entry(page: Page, web_server: Service) -> None:
    name = unique_name("Unchanged")
    page.goto(web_server.url)
    add_entry(page, name, unique_phone())
    search(page, name)

    page.get_by_role("link", name=f"Edit {name}").click()
    page.get_by_label("New name").fill(unique_name("Discarded"))
    page.get_by_role("link", name="Cancel").click()

    expect(page.get_by_label("New name")).to_have_count(0)
    expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()


def test_delete_entry_after_confirm(page: Page, web_server: Service) -> None:
    name = unique_name("Doomed")
    questions: list[str] = []

    def accept(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.goto(web_server.url)
    add_entry(page, name, unique_phone())
    search(page, name)

    page.get_by_role("button", name=f"Delete {name}").click()

    expect(page.get_by_test_id("notice")).to_have_text(f"Deleted {name}.")
    expect(page.get_by_role("cell", name=name, exact=True)).to_have_count(0)
    assert questions == [f"Delete {name}?"]


def test_delete_dismissed_keeps_entry(page: Page, web_server: Service) -> None:
    name = unique_name("Spared")
    page.on("dialog", lambda dialog: dialog.dismiss())
    page.goto(web_server.url)
    add_entry(page, name, unique_phone())
    search(page, name)

    page.get_by_role("button", name=f"Delete {name}").click()

    expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    expect(page.get_by_test_id("notice")).to_have_count(0)


def test_search_shows_match_and_no_match(page: Page, web_server: Service) -> None:
    name = unique_name("Findable")
    other = unique_name("Hidden")
    page.goto(web_server.url)
    add_entry(page, name, unique_phone())
    add_entry(page, other, unique_phone())

    search(page, name)
    expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name=other, exact=True)).to_have_count(0)

    missing = unique_name("Missing")
    search(page, missing)
    expect(page.get_by_test_id("empty-state")).to_contain_text(
        f"No entries match “{missing}”."
    )


@pytest.mark.parametrize(
    "payload",
    [
        "<img src=x onerror=alert(1)>",
        "<img src=x onerror=window.__xss=1>",
        "<script>window.__xss=2</script>",
    ],
)
def test_markup_name_shows_as_text(
    page: Page, web_server: Service, payload: str
) -> None:
    dialogs: list[str] = []

    def record(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    name = f"{payload} {unique_name('Xss')}"
    page.goto(web_server.url)

    add_entry(page, name, unique_phone())
    search(page, name)

    expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Delete {name}")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") is None
    assert dialogs == []


def test_backend_down_page_says_unavailable(
    page: Page, down_web_server: Service
) -> None:
    response = page.goto(down_web_server.url)

    assert response is not None
    assert response.status == 503
    expect(page.get_by_test_id("backend-unavailable")).to_contain_text(
        "The phonebook is unavailable right now."
    )
    expect(page.get_by_test_id("node-hostname")).to_have_text(NODE_HOSTNAME)


def test_add_without_javascript(no_js_page: Page, web_server: Service) -> None:
    name = unique_name("NoScript")
    phone = unique_phone()
    no_js_page.goto(web_server.url)

    add_entry(no_js_page, name, phone)
    search(no_js_page, name)

    expect(no_js_page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    expect(no_js_page.get_by_role("cell", name=phone, exact=True)).to_be_visible()


def test_edit_without_javascript(no_js_page: Page, web_server: Service) -> None:
    name = unique_name("PlainEdit")
    new_name = unique_name("PlainEdited")
    no_js_page.goto(web_server.url)
    add_entry(no_js_page, name, unique_phone())
    search(no_js_page, name)

    no_js_page.get_by_role("link", name=f"Edit {name}").click()
    no_js_page.get_by_label("New name").fill(new_name)
    no_js_page.get_by_role("button", name="Save").click()

    expect(no_js_page.get_by_test_id("notice")).to_have_text(f"Saved {new_name}.")
    expect(no_js_page).to_have_url(re.compile(r"/\?q="))


def test_delete_without_javascript(no_js_page: Page, web_server: Service) -> None:
    name = unique_name("PlainDelete")
    no_js_page.goto(web_server.url)
    add_entry(no_js_page, name, unique_phone())
    search(no_js_page, name)

    no_js_page.get_by_role("button", name=f"Delete {name}").click()

    expect(no_js_page.get_by_test_id("notice")).to_have_text(f"Deleted {name}.")
    expect(no_js_page.get_by_role("cell", name=name, exact=True)).to_have_count(0)
    expect(no_js_page.get_by_test_id("empty-state")).to_be_visible()
