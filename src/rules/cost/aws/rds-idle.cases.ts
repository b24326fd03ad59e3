import * as pricing from '../../../pricing/catalog.js';
import { defineCostCases, plus, priced, read, resource } from '../../cases.js';

const postgres = (instanceType = 'db.m6i.large') =>
  resource(
    'aws.rds.instance',
    { instanceType, engine: 'postgres', multiAz: false, volumeType: 'gp3', storageGb: 100 },
    { state: 'available' },
  );
const unused = postgres();
const unlisted = postgres('db.x9.huge');

export const cases = defineCostCases({
  recommend: [
    {
      name: 'no connection in the window, priced as its instance and storage',
      resource: unused,
      readings: { 'db-connections': read('db-connections', 0, 0) },
      action: 'delete-database',
      saving: plus(
        priced(pricing.rdsInstanceHour('db.m6i.large', 'postgres', false, unused.region), 'hour'),
        priced(pricing.rdsStorageMonth('gp3', 100, false, unused.region), 'month'),
      ),
    },
    {
      name: 'of a class missing from the price tables, unpriced rather than $0',
      resource: unlisted,
      readings: { 'db-connections': read('db-connections', 0, 0) },
      action: 'delete-database',
      saving: { unpriced: `no list price for db.x9.huge postgres in ${unlisted.region}` },
    },
  ],
  leave: [{ name: 'with connections', resource: postgres(), readings: { 'db-connections': read('db-connections', 3, 7) } }],
});
