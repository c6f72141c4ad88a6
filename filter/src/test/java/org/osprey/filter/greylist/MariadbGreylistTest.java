package org.osprey.filter.greylist;

import org.osprey.directory.TestDatabases;
import org.osprey.directory.TestDatabases.TestDatabase;

/** On the MariaDB server at 127.0.0.1:3306; TestDatabases fails (never skips) when it is not there. */
class MariadbGreylistTest extends GreylistContractTest {
    @Override
    TestDatabase createDatabase() {
        return TestDatabases.mariadb();
    }
}
