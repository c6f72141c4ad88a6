package org.osprey.filter.greylist;

import org.osprey.directory.TestDatabases;
import org.osprey.directory.TestDatabases.TestDatabase;

/** On the PostgreSQL server at 127.0.0.1:5432; TestDatabases fails (never skips) when it is not there. */
class PostgresqlGreylistTest extends GreylistContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.postgresql();
    }
}
