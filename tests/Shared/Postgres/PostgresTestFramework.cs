using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace NextCart.Migration.TestSupport;

/// <summary>
/// The xunit test framework of the test assemblies that need PostgreSQL (each names it in its own <c>[assembly: TestFramework]</c>): the default one, except that the test cases of classes marked
/// <see cref="RequiresPostgresAttribute"/> are reported skipped, with <see cref="PostgresServer.SkipReason"/>, when no
/// server is configured outside CI.
/// </summary>
public sealed class PostgresTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName)
        => new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            string? reason = PostgresServer.SkipReason;
            base.RunTestCases(reason is null ? testCases : testCases.Select(t => NeedsServer(t) ? new SkippedTestCase(t, reason) : t), executionMessageSink, executionOptions);
        }

        private static bool NeedsServer(IXunitTestCase testCase)
            => testCase.TestMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
    }

    /// <summary>A test case reported skipped without running, keeping the identity of the case it wraps.</summary>
    /// <remarks>It exists only at run time, after discovery, so it is never deserialized (xUnit3001 does not apply).</remarks>
#pragma warning disable xUnit3001
    private sealed class SkippedTestCase(IXunitTestCase inner, string reason) : LongLivedMarshalByRefObject, IXunitTestCase
#pragma warning restore xUnit3001
    {
        public string DisplayName => inner.DisplayName;

        public string SkipReason => reason;

        public ISourceInformation SourceInformation { get => inner.SourceInformation; set => inner.SourceInformation = value; }

        public ITestMethod TestMethod => inner.TestMethod;

        public object[] TestMethodArguments => inner.TestMethodArguments;

        public Dictionary<string, List<string>> Traits => inner.Traits;

        public string UniqueID => inner.UniqueID;

        public Exception InitializationException => inner.InitializationException;

        public IMethodInfo Method => inner.Method;

        public int Timeout => inner.Timeout;

        public Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
            => new XunitTestCaseRunner(this, DisplayName, reason, constructorArguments, TestMethodArguments, messageBus, aggregator, cancellationTokenSource).RunAsync();

        public void Deserialize(IXunitSerializationInfo info) => inner.Deserialize(info);

        public void Serialize(IXunitSerializationInfo info) => inner.Serialize(info);
    }
}
