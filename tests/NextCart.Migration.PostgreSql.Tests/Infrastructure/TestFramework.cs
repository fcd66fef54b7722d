// The shared PostgreSQL-aware test framework (tests/Shared/Postgres), compiled into this assembly.
[assembly: Xunit.TestFramework("NextCart.Migration.TestSupport.PostgresTestFramework", "NextCart.Migration.PostgreSql.Tests")]
