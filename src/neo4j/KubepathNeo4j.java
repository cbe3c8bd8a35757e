import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;
import org.neo4j.io.fs.DefaultFileSystemAbstraction;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import picocli.CommandLine;

/**
 * A Neo4j Community server for kubepath, from the Maven Central jars alone (no Docker,
 * no distribution tarball): the embedded DBMS with its Bolt connector on 127.0.0.1.
 *
 * Usage: KubepathNeo4j HOME PORT PASSWORD
 *   PORT 0 lets the system pick one. Prints "BOLT READY bolt://127.0.0.1:PORT" once Bolt
 *   answers; SIGTERM shuts the DBMS down cleanly. Started and stopped by local-server.ts.
 */
public class KubepathNeo4j {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: KubepathNeo4j HOME PORT PASSWORD");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = args[2];
        boolean newStore = !Files.exists(home.resolve("data/databases/system"));

        // A new store takes its first password from data/dbms/auth.ini, as `neo4j-admin dbms set-initial-password` writes it.
        if (newStore) {
            Files.createDirectories(home);
            ExecutionContext context = new ExecutionContext(home, home.resolve("conf"), System.err, System.err, new DefaultFileSystemAbstraction());
            if (new CommandLine(new SetInitialPasswordCommand(context)).execute(password) != 0) System.exit(1);
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                // The page cache lives off the heap; local-server.ts passes its size (bytes).
                .setConfig(GraphDatabaseSettings.pagecache_memory, Long.getLong("kubepath.pagecache", 256L * 1024 * 1024))
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 files")
                // Bolt's default 5 s quiet period would make every stop take 5 s more.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            System.out.println("SHUTDOWN COMPLETE");
            System.out.flush();
            stopped.countDown();
        }, "kubepath-neo4j-shutdown"));

        try {
            // An existing store keeps its users: set the password asked for (the same one again is refused, and fine).
            if (!newStore) {
                try {
                    dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                            .executeTransactionally("ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
                } catch (QueryExecutionException e) {
                    if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) throw e;
                }
            }
            GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            int boltPort = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class).getLocalAddress(ConnectorType.BOLT).getPort();
            System.out.println("BOLT READY bolt://127.0.0.1:" + boltPort);
            System.out.flush();
        } catch (Throwable failure) {
            // Neo4j's own threads would keep the JVM alive without a ready line: leave through the shutdown hook.
            System.err.println("NEO4J FAILED: " + failure);
            System.exit(1);
        }
        stopped.await();
    }
}
