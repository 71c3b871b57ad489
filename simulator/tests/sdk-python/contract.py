"""Zoho's official Python SDK (zohocrmsdk8-0) against a running simulator.

Every response must parse into the SDK's own classes without an exception, and every result
must be what Zoho would answer. Run by simulator/tests/it/sdk_python.rs, which passes
ZOHO_API_DOMAIN, ZOHO_ACCESS_TOKEN, SIM_ROOT_ID, SIM_USER_ID, SIM_ACCOUNT_ID; it checks the
simulator's state afterwards.
"""

import os
import shutil
import sys
import tempfile
import traceback

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store import FileStore
from zohocrmsdk.src.com.zoho.api.logger import Logger
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.parameter_map import ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.sdk_config import SDKConfig
from zohocrmsdk.src.com.zoho.crm.api.util import Choice
from zohocrmsdk.src.com.zoho.crm.api import territories as T
from zohocrmsdk.src.com.zoho.crm.api import territory_users as TU
from zohocrmsdk.src.com.zoho.crm.api import users_territories as UT
from zohocrmsdk.src.com.zoho.crm.api import record as R
from zohocrmsdk.src.com.zoho.crm.api.users import Users

BASE = os.environ["ZOHO_API_DOMAIN"]
ROOT = int(os.environ["SIM_ROOT_ID"])
USER = int(os.environ["SIM_USER_ID"])
ACCOUNT = int(os.environ["SIM_ACCOUNT_ID"])

checks = 0
step = "setup"


def check(condition, message):
    global checks
    checks += 1
    if not condition:
        raise AssertionError(f"check {checks} failed: {message}")


def actions(response, key, status):
    """The per-item results of an action call, checked to be of the SDK's classes."""
    check(response is not None, "a response")
    check(response.get_status_code() == status,
          f"HTTP {response.get_status_code()}, expected {status}")
    wrapper = response.get_object()
    items = wrapper.get_users() if key == "users" else (
        wrapper.get_data() if key == "data" else wrapper.get_territories())
    check(isinstance(items, list), f"{key} parses into a list, got {type(wrapper).__name__}")
    return items


def success(item, message=None):
    check(type(item).__name__ == "SuccessResponse", f"a SuccessResponse, got {type(item).__name__}")
    check(item.get_code().get_value() == "SUCCESS", f"code SUCCESS, got {item.get_code().get_value()}")
    check(item.get_status().get_value() == "success", "status success")
    text = item.get_message()
    text = text.get_value() if isinstance(text, Choice) else text
    if message is not None:
        check(text == message, f'message "{message}", got "{text}"')
    return item.get_details()


def failure(item, code):
    check(type(item).__name__ == "APIException", f"an APIException, got {type(item).__name__}")
    check(item.get_code().get_value() == code, f"code {code}, got {item.get_code().get_value()}")
    check(item.get_status().get_value() == "error", "status error")


def new_territory(name, parent, manager=None):
    territory = T.Territories()
    territory.set_name(name)
    reporting_to = T.ReportingTo()
    reporting_to.set_id(parent)
    territory.set_reporting_to(reporting_to)
    territory.set_permission_type(Choice("read_write_delete"))
    if manager is not None:
        owner = T.Manager()
        owner.set_id(manager)
        territory.set_manager(owner)
    return territory


def create(ops, territories, status=201):
    body = T.BodyWrapper()
    body.set_territories(territories)
    return actions(ops.create_territories(body), "territories", status)


def get_one(ops, territory_id):
    response = ops.get_territory(territory_id)
    if response.get_status_code() == 204:
        return None
    check(response.get_status_code() == 200, f"GET one answers 200, got {response.get_status_code()}")
    found = response.get_object().get_territories()
    check(len(found) == 1, "GET one answers one territory")
    return found[0]


def criteria(field_name, comparator, value, field_id=None):
    field = T.Field()
    field.set_api_name(field_name)
    if field_id is not None:
        field.set_id(field_id)
    rule = T.Criteria()
    rule.set_field(field)
    rule.set_comparator(comparator)
    rule.set_value(value)
    return rule


def main():
    global step
    scratch = tempfile.mkdtemp(prefix="zoho-python-sdk-")
    environment = DataCenter.Environment(BASE, f"{BASE}/oauth/v2/token", BASE)
    token = OAuthToken(access_token=os.environ["ZOHO_ACCESS_TOKEN"], find_user=False)
    Initializer.initialize(
        environment=environment,
        token=token,
        store=FileStore(os.path.join(scratch, "tokens.txt")),
        sdk_config=SDKConfig(auto_refresh_fields=False, pick_list_validation=False,
                             update_api_domain=False),
        resource_path=scratch,
        logger=Logger.get_instance(level=Logger.Levels.CRITICAL,
                                   file_path=os.path.join(scratch, "sdk.log")),
    )
    ops = T.TerritoriesOperations()

    step = "create a tree"
    [emea_result] = create(ops, [new_territory("EMEA", ROOT, manager=USER)])
    emea = int(success(emea_result, "Territory Created Successfully")["id"])
    [dach_result, nordics_result] = create(
        ops, [new_territory("DACH", emea), new_territory("Nordics", emea)])
    dach = int(success(dach_result)["id"])
    nordics = int(success(nordics_result)["id"])
    [germany_result] = create(ops, [new_territory("Germany", dach)])
    germany = int(success(germany_result)["id"])

    step = "list with paging"
    seen = []
    page = 1
    while True:
        params = ParameterMap()
        params.add(T.GetTerritoriesParam.per_page, 2)
        params.add(T.GetTerritoriesParam.page, page)
        response = ops.get_territories(params)
        check(response.get_status_code() == 200, f"page {page} answers 200")
        wrapper = response.get_object()
        check(isinstance(wrapper, T.ResponseWrapper), "a ResponseWrapper")
        seen.extend(wrapper.get_territories())
        info = wrapper.get_info()
        check(info.get_count() == len(wrapper.get_territories()), "info.count is the page size")
        if not info.get_more_records():
            break
        page += 1
    check(page == 3, f"six territories on three pages of two, got {page}")
    names = sorted(t.get_name() for t in seen)
    check(names == sorted(["Zylker", "Auto", "EMEA", "DACH", "Nordics", "Germany"]),
          f"every territory once: {names}")
    check({emea, dach, nordics, germany} <= {t.get_id() for t in seen}, "the new tree is listed")

    step = "get one"
    got = get_one(ops, emea)
    check(got.get_name() == "EMEA", "the created name")
    check(got.get_manager().get_id() == USER, "the manager id parses as an int")
    check(got.get_reporting_to().get_id() == ROOT, "the parent")
    check(get_one(ops, 1) is None, "an unknown id answers 204")

    step = "update with the seed page's sample input"
    # Update Territories (seed page): name, reporting_to, a null manager, permission_type,
    # null description and account/lead criteria, a deal rule with a field id.
    sample = T.Territories()
    sample.set_id(nordics)
    sample.set_name("Territory1234")
    reporting_to = T.ReportingTo()
    reporting_to.set_id(emea)
    sample.set_reporting_to(reporting_to)
    sample.set_manager(None)
    sample.set_permission_type(Choice("read_only"))
    sample.set_description(None)
    sample.set_account_rule_criteria(None)
    sample.set_lead_rule_criteria(None)
    sample.set_deal_rule_criteria(criteria("Amount", "greater_than", "2000000",
                                           field_id=int(os.environ["SIM_AMOUNT_FIELD_ID"])))
    body = T.BodyWrapper()
    body.set_territories([sample])
    [updated] = actions(ops.update_territories(body), "territories", 200)
    success(updated, "Territory Updated Successfully")
    after = get_one(ops, nordics)
    check(after.get_name() == "Territory1234", "renamed")
    check(after.get_permission_type().get_value() == "read_only", "the new permission type")
    params = ParameterMap()
    params.add(T.GetTerritoriesParam.ids, str(nordics))
    params.add(T.GetTerritoriesParam.include, "deal_rule_criteria")
    with_rules = ops.get_territories(params).get_object().get_territories()[0]
    rule = with_rules.get_deal_rule_criteria()
    check(rule.get_comparator() == "greater_than", "the deal rule's comparator")
    check(rule.get_field().get_api_name() == "Amount", "the deal rule's field")

    step = "a delete refused because of children"
    params = ParameterMap()
    params.add(T.DeleteTerritoriesParam.ids, str(dach))
    params.add(T.DeleteTerritoriesParam.delete_previous_forecasts, False)
    refused = actions(ops.delete_territories(params), "territories", 400)
    failure(refused[0], "NOT_ALLOWED")

    step = "assign and remove territories of a record"
    records = R.RecordOperations("Accounts")

    def record_body(territory_id):
        record = R.Record()
        record.set_id(ACCOUNT)
        territory = R.Territory()
        territory.set_id(territory_id)
        record.add_key_value("Territories", [territory])
        body = R.BodyWrapper()
        body.set_data([record])
        return body

    assigned = actions(records.assign_territories_to_multiple_records(record_body(germany)),
                       "data", 200)
    details = success(assigned[0], "the territories data updated successfully")
    check(int(details["id"]) == ACCOUNT, "the record id in details")
    read = records.get_record(ACCOUNT)
    check(read.get_status_code() == 200, "the record answers 200")
    on_record = read.get_object().get_data()[0].get_key_value("Territories")
    ids = [int(t.get_id()) if hasattr(t, "get_id") else int(t["id"]) for t in on_record]
    check(germany in ids, f"the assigned territory is on the record: {ids}")
    again = actions(records.assign_territories_to_multiple_records(record_body(germany)),
                    "data", 400)
    failure(again[0], "DUPLICATE_DATA")
    removed = actions(records.remove_territories_from_multiple_records(record_body(germany)),
                      "data", 200)
    # The seed page's message has a typo ("terriroies"), which the simulator keeps.
    success(removed[0], "the terriroies data removed successfully")
    read = records.get_record(ACCOUNT).get_object().get_data()[0].get_key_value("Territories")
    ids = [int(t.get_id()) if hasattr(t, "get_id") else int(t["id"]) for t in read or []]
    check(germany not in ids, f"the removed territory is gone from the record: {ids}")

    step = "territory users"
    user_ops = TU.TerritoryUsersOperations()
    members = user_ops.get_territory_users(emea)
    check(members.get_status_code() == 200, "the manager's territory has users")
    check([u.get_id() for u in members.get_object().get_users()] == [USER],
          "the manager is a member")
    member = Users()
    member.set_id(USER)
    users_body = TU.BodyWrapper()
    users_body.set_users([member])
    added = actions(user_ops.update_territory_users(germany, users_body), "users", 200)
    success(added[0], "Given User added to the mentioned territory Successfully")
    listed = user_ops.get_territory_users(germany).get_object().get_users()
    check([u.get_id() for u in listed] == [USER], "the member is listed")
    counts = ops.get_associated_user_count()
    check(counts.get_status_code() == 200, "associated_users_count answers 200")
    counted = {c.get_territory().get_id(): int(c.get_count())
               for c in counts.get_object().get_associated_users_count()}
    check(counted.get(emea) == 1 and counted.get(germany) == 1, f"the counts: {counted}")
    mine = UT.UsersTerritoriesOperations(USER)
    of_user = mine.get_territories_of_user()
    check(of_user.get_status_code() == 200, "the user's territories answer 200")
    check({t.get_id() for t in of_user.get_object().get_territories()} == {emea, germany},
          "the user's territories")
    params = ParameterMap()
    params.add(TU.DeassociateTerritoryUsersParam.ids, str(USER))
    gone = user_ops.deassociate_territory_users(germany, params)
    check(gone.get_status_code() == 200, f"removing a member answers 200, got {gone.get_status_code()}")
    check(user_ops.get_territory_users(germany).get_status_code() == 204, "no members left")

    step = "transfer and delete"
    # The target must be above the deleted territory's parent (EMEA): the root is.
    transfer = T.TransferTerritory()
    transfer.set_id(dach)
    transfer.set_transfer_to_id(ROOT)
    transfer.set_delete_previous_forecasts(False)
    transfer_body = T.TransferBodyWrapper()
    transfer_body.set_territories([transfer])
    [transferred] = actions(ops.transfer_and_delete_territories(transfer_body), "territories", 200)
    success(transferred, "Territory Transferred And Deleted Successfully")
    check(get_one(ops, dach) is None, "the transferred territory is gone (204)")
    check(get_one(ops, germany).get_reporting_to().get_id() == ROOT, "the child moved to the root")

    step = "delete"
    params = ParameterMap()
    params.add(T.DeleteTerritoriesParam.ids, f"{germany},{nordics}")
    params.add(T.DeleteTerritoriesParam.delete_previous_forecasts, False)
    deleted = actions(ops.delete_territories(params), "territories", 200)
    for item in deleted:
        success(item, "Given Territory Removed Successfully")
    params = ParameterMap()
    params.add(T.DeleteTerritoryParam.delete_previous_forecasts, True)
    [one] = actions(ops.delete_territory(emea, params), "territories", 200)
    success(one)
    check(get_one(ops, emea) is None, "EMEA is gone")

    shutil.rmtree(scratch, ignore_errors=True)
    print(f"python sdk contract: {checks} checks passed")


if __name__ == "__main__":
    try:
        main()
    except Exception:  # noqa: BLE001 - report where it failed, then fail
        print(f'after check {checks}, in step "{step}":', file=sys.stderr)
        traceback.print_exc()
        sys.exit(1)
