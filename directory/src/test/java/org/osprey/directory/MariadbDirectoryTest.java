package org.osprey.directory;

import java.nio.file.Path;

class MariadbDirectoryTest extends DirectoryContractTest {
    @Override
    TestDatabases.TestDatabase create(Path tmp) {
        return TestDatabases.mariadb();
    }
}
