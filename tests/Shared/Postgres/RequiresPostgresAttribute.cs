namespace NextCart.Migration.TestSupport;

/// <summary>
/// Marks a test class that needs a PostgreSQL server. Without one (<c>NEXTCART_POSTGRES_CONNECTION</c> unset) its tests,
/// inherited ones included, are reported skipped with how to start a server, unless <c>CI=true</c>, where they run and fail.
/// </summary>
/// <remarks>
/// xunit 2 has no dynamic skip, and the conformance kits' inherited <c>[Fact]</c>s cannot take a skippable attribute, so
/// <see cref="PostgresTestFramework"/> applies this at run time to every test case of a marked class.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresPostgresAttribute : Attribute;
