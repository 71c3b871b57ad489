// The official Zoho CRM Node SDK (@zohocrm/nodejs-sdk-8.0) against a running simulator.
// Every response must parse into the SDK's own classes, and every result must be what Zoho
// would answer. Run by simulator/tests/it/sdk.rs, which passes:
//   ZOHO_API_DOMAIN, ZOHO_ACCESS_TOKEN, SIM_ROOT_ID, SIM_USER_ID, SIM_ACCOUNT_ID
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ZOHO from '@zohocrm/nodejs-sdk-8.0';

const { InitializeBuilder, OAuthBuilder, Environment, FileStore, SDKConfigBuilder, LogBuilder,
  Levels, Territories, TerritoryUsers, UsersTerritories, Users, Record, ParameterMap, Choice } = ZOHO;

// The SDK sends arrays whose values differ from their indices as objects ({"0": ...});
// zoho-api.md section 8.2 documents this bug and this workaround.
ZOHO.DatatypeConverter.isAssoc = () => false;

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
};
const BASE = env('ZOHO_API_DOMAIN');
const ROOT = BigInt(env('SIM_ROOT_ID'));
const USER = BigInt(env('SIM_USER_ID'));
const ACCOUNT = BigInt(env('SIM_ACCOUNT_ID'));

// SDK exceptions wrap the real error in `cause`; show where it came from.
process.on('uncaughtException', (error) => {
  console.error(`after check ${checks}, in step "${step}":`);
  console.error(error.cause?.stack ?? error.stack ?? error);
  process.exit(1);
});

let checks = 0;
let step = 'setup';
function check(condition, message) {
  checks += 1;
  if (!condition) throw new Error(`check ${checks} failed: ${message}`);
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'zoho-sdk-'));
await (await new InitializeBuilder())
  .environment(new Environment(BASE, `${BASE}/oauth/v2/token`, BASE))
  .token(new OAuthBuilder().accessToken(env('ZOHO_ACCESS_TOKEN')).findUser(false).build())
  .store(new FileStore(path.join(scratch, 'tokens.csv')))
  .SDKConfig(new SDKConfigBuilder().updateAPIDomain(false).pickListValidation(false).autoRefreshFields(false).build())
  .resourcePath(scratch)
  .logger(new LogBuilder().level(Levels.OFF).build())
  .initialize();

const ops = new Territories.TerritoriesOperations();

/** The per-item results of an action call, checked to be of the expected classes. */
function actions(response, key, status) {
  check(response.getStatusCode() === status, `HTTP ${response.getStatusCode()}, expected ${status}`);
  const wrapper = response.getObject();
  const items = key === 'users' ? wrapper.getUsers() : wrapper.getTerritories();
  check(Array.isArray(items), `${key} parses into an array`);
  return items;
}

function success(item, message) {
  // Each module has its own SuccessResponse class; the SDK picks one by the keys it sees.
  check(item?.constructor?.name === 'SuccessResponse', `a SuccessResponse, got ${item?.constructor?.name}`);
  check(item.getCode().getValue() === 'SUCCESS', `code SUCCESS, got ${item.getCode().getValue()}`);
  check(item.getStatus().getValue() === 'success', 'status success');
  // Some modules type `message` as a Choice, others as a string.
  const text = item.getMessage()?.getValue?.() ?? item.getMessage();
  if (message) check(text === message, `message "${message}", got "${text}"`);
  return item.getDetails();
}

function failure(item, code) {
  check(item?.constructor?.name === 'APIException', `an APIException, got ${item?.constructor?.name}`);
  check(item.getCode().getValue() === code, `code ${code}, got ${item.getCode().getValue()}`);
  check(item.getStatus().getValue() === 'error', 'status error');
}

async function criteria(fieldName, comparator, value) {
  const field = new Territories.Field();
  field.setAPIName(fieldName);
  const rule = new Territories.Criteria();
  await rule.setField(field);
  rule.setComparator(comparator);
  rule.setValue(value);
  return rule;
}

async function newTerritory(name, parent, extra = async () => {}) {
  const territory = new Territories.Territories();
  territory.setName(name);
  const reportingTo = new Territories.ReportingTo();
  reportingTo.setId(parent);
  await territory.setReportingTo(reportingTo);
  territory.setPermissionType(new Choice('read_write_delete'));
  await extra(territory);
  return territory;
}

async function create(territories, status = 201) {
  const body = new Territories.BodyWrapper();
  body.setTerritories(territories);
  return actions(await ops.createTerritories(body), 'territories', status);
}

async function getOne(id) {
  const response = await ops.getTerritory(id);
  if (response.getStatusCode() === 204) return null;
  check(response.getStatusCode() === 200, `GET one answers 200, got ${response.getStatusCode()}`);
  const territories = response.getObject().getTerritories();
  check(territories.length === 1, 'GET one answers one territory');
  return territories[0];
}

// --- list ---------------------------------------------------------------------------------
step = 'list';
const params = new ParameterMap();
await params.add(Territories.GetTerritoriesParam.PER_PAGE, 200);
await params.add(Territories.GetTerritoriesParam.INCLUDE, 'account_rule_criteria,lead_rule_criteria,deal_rule_criteria');
const list = await ops.getTerritories(params);
check(list.getStatusCode() === 200, 'list answers 200');
check(list.getObject() instanceof Territories.ResponseWrapper, 'list parses into a ResponseWrapper');
const listed = list.getObject().getTerritories();
const root = listed.find((t) => t.getId() === ROOT);
check(root !== undefined, 'the root is listed');
check(root.getReportingTo() === undefined, 'the root reports to nobody');
check(root.getDescription() === 'Organization Parent Territory', 'the root description');
check(list.getObject().getInfo().getCount() === listed.length, 'info.count is the page size');
check(list.getObject().getInfo().getMoreRecords() === false, 'one page');

// --- create, with a manager and group criteria --------------------------------------------
step = 'create, with a manager and group criteria';
const [emeaResult] = await create([await newTerritory('EMEA', ROOT, async (t) => {
  const manager = new Territories.Manager();
  manager.setId(USER);
  await t.setManager(manager);
  t.setDescription('Europe, Middle East and Africa');
  const group = new Territories.Criteria();
  group.setGroupOperator('AND');
  group.setGroup([
    await criteria('Billing_Country', 'in', ['Germany', 'France']),
    await criteria('Annual_Revenue', 'between', [1000, 5000]),
  ]);
  await t.setAccountRuleCriteria(group);
})]);
const emea = success(emeaResult, 'Territory Created Successfully').get('id');
check(/^\d{18,19}$/.test(String(emea)), `an 18-19 digit id, got ${emea}`);
const emeaId = BigInt(emea);

// --- get one --------------------------------------------------------------------------------
step = 'get one';
const got = await getOne(emeaId);
check(got.getName() === 'EMEA', 'the created name');
check(got.getManager().getId() === USER, 'the manager id parses as a BigInt');
check(got.getPermissionType().getValue() === 'read_write_delete', 'the permission type');
check(got.getReportingTo().getId() === ROOT, 'the parent');

// --- update with criteria, a cleared manager, and a duplicate name (mixed, 207) ---------------
step = 'update with criteria, a cleared manager, and a duplicate name (mixed, 207)';
const update = new Territories.Territories();
update.setId(emeaId);
update.setDescription('managed by gitops');
update.setPermissionType(new Choice('read_only'));
await update.setManager(null);
await update.setDealRuleCriteria(await criteria('Amount', 'greater_than', '100000'));
const clash = new Territories.Territories();
clash.setId(emeaId);
clash.setName(got.getName() === 'EMEA' ? root.getName() : 'x');
const updateBody = new Territories.BodyWrapper();
updateBody.setTerritories([update, clash]);
const updated = actions(await ops.updateTerritories(updateBody), 'territories', 207);
success(updated[0], 'Territory Updated Successfully');
failure(updated[1], 'DUPLICATE_DATA');
const afterUpdate = await getOne(emeaId);
check(afterUpdate.getManager() === undefined, 'a null manager is cleared');
check(afterUpdate.getDescription() === 'managed by gitops', 'the new description');
check(afterUpdate.getPermissionType().getValue() === 'read_only', 'the new permission type');

// --- a child, then delete refused because of it ---------------------------------------------
step = 'a child, then delete refused because of it';
const [dachResult] = await create([await newTerritory('DACH', emeaId)]);
const dachId = BigInt(success(dachResult).get('id'));
const [germanyResult] = await create([await newTerritory('Germany', dachId)]);
const germanyId = BigInt(success(germanyResult).get('id'));
const children = await ops.getChildTerritory(emeaId, new ParameterMap());
check(children.getObject().getTerritories().map((t) => t.getName()).join() === 'DACH', 'direct children');
const deleteParams = new ParameterMap();
await deleteParams.add(Territories.DeleteTerritoriesParam.IDS, emeaId.toString());
await deleteParams.add(Territories.DeleteTerritoriesParam.DELETE_PREVIOUS_FORECASTS, false);
const refused = actions(await ops.deleteTerritories(deleteParams), 'territories', 400);
failure(refused[0], 'NOT_ALLOWED');

// --- transfer and delete --------------------------------------------------------------------
step = 'transfer and delete';
const transfer = new Territories.TransferTerritory();
// The target must be above the deleted territory's parent (EMEA): the root is.
transfer.setId(dachId);
transfer.setTransferToId(ROOT);
transfer.setDeletePreviousForecasts(false);
const transferBody = new Territories.TransferBodyWrapper();
transferBody.setTerritories([transfer]);
const transferred = actions(await ops.transferAndDeleteTerritories(transferBody), 'territories', 200);
success(transferred[0], 'Territory Transferred And Deleted Successfully');
check(await getOne(dachId) === null, 'the transferred territory is gone (204)');
check((await getOne(germanyId)).getReportingTo().getId() === ROOT, 'the child moved to the root');

// --- territory users --------------------------------------------------------------------------
step = 'territory users';
const userOps = new TerritoryUsers.TerritoryUsersOperations();
const member = new Users.Users();
member.setId(USER);
const usersBody = new TerritoryUsers.BodyWrapper();
usersBody.setUsers([member]);
const addedUsers = actions(await userOps.updateTerritoryUsers(germanyId, usersBody), 'users', 200);
success(addedUsers[0], 'Given User added to the mentioned territory Successfully');
const members = await userOps.getTerritoryUsers(germanyId);
check(members.getStatusCode() === 200, 'territory users answer 200');
check(members.getObject().getUsers().map((u) => u.getId()).join() === USER.toString(), 'the member is listed');
const counts = await ops.getAssociatedUserCount();
check(counts.getStatusCode() === 200, `associated_users_count answers 200, got ${counts.getStatusCode()}`);
const counted = counts.getObject().getAssociatedUsersCount();
check(counted.some((c) => c.getTerritory().getId() === germanyId && String(c.getCount()) === '1'), 'Germany counts one user');
const ofUser = await new UsersTerritories.UsersTerritoriesOperations(USER).getTerritoriesOfUser();
check(ofUser.getStatusCode() === 200, `the user's territories answer 200, got ${ofUser.getStatusCode()}`);
check(ofUser.getObject().getTerritories().some((t) => t.getId() === germanyId), "Germany is among the user's territories");
const removed = await userOps.deassociateTerritoryUser(USER, germanyId);
check(removed.getStatusCode() === 200, `removing a member answers 200, got ${removed.getStatusCode()}`);
success(removed.getObject().getUsers()[0], 'Given User Removed from the mentioned territory Successfully');

// --- every other membership call the SDK has ------------------------------------------------------
step = 'territory users: one user, duplicates, several removed';
const addedOne = actions(await userOps.updateTerritoryUser(USER, germanyId), 'users', 200);
success(addedOne[0], 'Given User added to the mentioned territory Successfully');
const one = await userOps.getTerritoryUser(USER, germanyId);
check(one.getStatusCode() === 200, `one member answers 200, got ${one.getStatusCode()}`);
check(one.getObject().getUsers()[0].getId() === USER, 'the member by id');
const twice = actions(await userOps.updateTerritoryUsers(germanyId, usersBody), 'users', 400);
failure(twice[0], 'DUPLICATE_DATA');
const removeMany = new ParameterMap();
await removeMany.add(TerritoryUsers.DeassociateTerritoryUsersParam.IDS, USER.toString());
const removedMany = actions(await userOps.deassociateTerritoryUsers(germanyId, removeMany), 'users', 200);
success(removedMany[0], 'Given User Removed from the mentioned territory Successfully');
check((await userOps.getTerritoryUsers(germanyId)).getStatusCode() === 204, 'no members left (204)');

step = "a user's territories: associate, one, remove";
const userTerritories = new UsersTerritories.UsersTerritoriesOperations(USER);
const link = new UsersTerritories.Territory();
link.setId(germanyId);
const linkBody = new UsersTerritories.BodyWrapper();
linkBody.setTerritories([link]);
const associated = actions(await userTerritories.associateTerritoriesToUser(linkBody), 'territories', 200);
success(associated[0], 'Territory associated to the user successfully');
const ofUserOne = await userTerritories.getTerritoryOfUser(germanyId);
check(ofUserOne.getStatusCode() === 200, `one territory of the user answers 200, got ${ofUserOne.getStatusCode()}`);
check(ofUserOne.getObject().getTerritories()[0].getName() === 'Germany', 'the territory by its capitalised Name');
const removeTerritories = new ParameterMap();
await removeTerritories.add(UsersTerritories.RemoveTerritoriesFromUserParam.IDS, germanyId.toString());
const unlinked = actions(await userTerritories.removeTerritoriesFromUser(removeTerritories), 'territories', 200);
success(unlinked[0], 'Territory removed from the user successfully');
actions(await userTerritories.associateTerritoriesToUser(linkBody), 'territories', 200);
const unlinkedOne = actions(await userTerritories.removeTerritoryFromUser(germanyId), 'territories', 200);
success(unlinkedOne[0], 'Territory removed from the user successfully');
// EMEA's first manager stays one of its users after the manager was cleared (the simulator's
// manager-is-a-member rule); Germany is gone from the user's territories.
const left = (await userTerritories.getTerritoriesOfUser()).getObject().getTerritories().map((t) => t.getId());
check(!left.includes(germanyId) && left.includes(emeaId), `the user is left in EMEA only, got ${left}`);

// --- assign and remove on a record --------------------------------------------------------------
step = 'assign and remove on a record';
const records = new Record.RecordOperations('Accounts');
const recordBody = async () => {
  const record = new Record.Record();
  record.setId(ACCOUNT);
  const territory = new Record.Territory();
  territory.setId(germanyId);
  record.addKeyValue('Territories', [territory]);
  const body = new Record.BodyWrapper();
  body.setData([record]);
  return body;
};
const assigned = await records.assignTerritoriesToMultipleRecords(await recordBody());
check(assigned.getStatusCode() === 200, `assign answers 200, got ${assigned.getStatusCode()}`);
const assignedDetails = success(assigned.getObject().getData()[0], 'the territories data updated successfully');
check(String(assignedDetails.get('id')) === ACCOUNT.toString(), 'the record id in details');
const record = await records.getRecord(ACCOUNT);
check(record.getStatusCode() === 200, 'the record answers 200');
const territories = record.getObject().getData()[0].getKeyValue('Territories');
// Without a `Territories` field in the metadata the SDK hands the values over as plain maps;
// with one, as Record.Territory objects. Read either.
const read = (t, key, getter) => (typeof t[getter] === 'function' ? t[getter]() : (t instanceof Map ? t.get(key) : t[key]));
const manual = territories.find((t) => BigInt(read(t, 'id', 'getId')) === germanyId);
check(manual !== undefined, 'the assigned territory is on the record');
check(read(manual, '$assigned', 'getAssigned') === 'manually', 'assigned manually');
check(read(manual, 'Name', 'getName') === 'Germany', 'with its name');
const again = await records.assignTerritoriesToMultipleRecords(await recordBody());
check(again.getStatusCode() === 400, 'assigning twice answers 400');
failure(again.getObject().getData()[0], 'DUPLICATE_DATA');
const unassigned = await records.removeTerritoriesFromMultipleRecords(await recordBody());
check(unassigned.getStatusCode() === 200, `remove answers 200, got ${unassigned.getStatusCode()}`);
success(unassigned.getObject().getData()[0]);

// --- delete by id ---------------------------------------------------------------------------------
step = 'delete by id';
const deleteOne = new ParameterMap();
await deleteOne.add(Territories.DeleteTerritoryParam.DELETE_PREVIOUS_FORECASTS, false);
const deleted = actions(await ops.deleteTerritory(germanyId, deleteOne), 'territories', 200);
success(deleted[0], 'Given Territory Removed Successfully');
check(await getOne(germanyId) === null, 'the deleted territory answers 204');

// --- plain delete, now that EMEA has no children --------------------------------------------------
step = 'plain delete';
const deletePlain = new ParameterMap();
await deletePlain.add(Territories.DeleteTerritoriesParam.IDS, emeaId.toString());
await deletePlain.add(Territories.DeleteTerritoriesParam.DELETE_PREVIOUS_FORECASTS, true);
success(actions(await ops.deleteTerritories(deletePlain), 'territories', 200)[0], 'Given Territory Removed Successfully');
check(await getOne(emeaId) === null, 'EMEA is gone');

fs.rmSync(scratch, { recursive: true, force: true });
console.log(`sdk contract: ${checks} checks passed`);
