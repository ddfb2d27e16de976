package io.shardgate;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering the package-info files describe, checked over the compiled classes so that a cycle or a
 * dependency upwards fails the build. From the bottom: config, routing and transport; protocol (the seam and its
 * vocabulary: failure reasons, the version); stats; backend; client; server; cli.
 */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.shardgate");

    @Test
    void noPackageDependsOnItselfThroughAnother() {
        slices().matching("io.shardgate.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void eachPackageUsesOnlyThoseBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("config").definedBy("io.shardgate.config..")
                .layer("routing").definedBy("io.shardgate.routing..")
                .layer("transport").definedBy("io.shardgate.transport..")
                .layer("protocol").definedBy("io.shardgate.protocol..")
                .layer("stats").definedBy("io.shardgate.stats..")
                .layer("backend").definedBy("io.shardgate.backend..")
                .layer("client").definedBy("io.shardgate.client..")
                .layer("server").definedBy("io.shardgate.server..")
                .layer("cli").definedBy("io.shardgate.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("server").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("client").mayOnlyBeAccessedByLayers("server")
                .whereLayer("backend").mayOnlyBeAccessedByLayers("client", "server")
                .whereLayer("stats").mayOnlyBeAccessedByLayers("backend", "client", "server", "cli")
                .whereLayer("protocol").mayOnlyBeAccessedByLayers("stats", "backend", "client", "server", "cli")
                .whereLayer("transport").mayOnlyBeAccessedByLayers("backend", "client", "server", "cli")
                .whereLayer("routing").mayOnlyBeAccessedByLayers("protocol", "stats", "backend", "client", "server", "cli")
                .check(MAIN);
    }
}
