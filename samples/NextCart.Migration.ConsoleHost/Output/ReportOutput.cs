using System.Globalization;
using System.Text;
using System.Text.Json;
using NextCart.Migration.Connectors;
using NextCart.Migration.Model;
using Spectre.Console;

namespace NextCart.Migration.ConsoleHost.Output;

/// <summary>Prints estimates and reports as tables and writes the <c>--report</c> JSON file.</summary>
internal static class ReportOutput
{
    public static void PrintEstimate(MigrationEstimate estimate)
    {
        Table table = new Table().Title("Entity Points estimate").AddColumns("type", "records", "weight", "already migrated", "chargeable points");
        foreach (EntityEstimate entity in estimate.Entities)
        {
            table.AddRow(
                entity.Type.ToCamelCase(),
                entity.Count?.ToString(CultureInfo.InvariantCulture) ?? "?",
                entity.Weight.ToString("0.##", CultureInfo.InvariantCulture),
                entity.AlreadyMigrated.ToString(CultureInfo.InvariantCulture),
                entity.ChargeablePoints.ToString("0.##", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        string limit = estimate.PlanLimit is { } l ? l.ToString("0.##", CultureInfo.InvariantCulture) : "none";
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Chargeable: {estimate.ChargeablePoints:0.##} Entity Points{(estimate.IsIncomplete ? " (at least; a type could not be counted)" : string.Empty)}; plan limit: {limit}; {(estimate.FitsPlan ? "fits the plan" : "EXCEEDS the plan limit")}.");
    }

    public static void PrintReport(MigrationReport report)
    {
        Table table = new Table().Title($"Run {report.RunId} ({report.Mode}): {report.Status}").AddColumns("type", "total", "migrated", "updated", "skipped", "failed", "in ledger");
        foreach (EntityReport entity in report.Entities)
        {
            table.AddRow(
                entity.Type.ToCamelCase(),
                N(entity.Total),
                N(entity.Migrated),
                N(entity.Updated),
                N(entity.Skipped),
                N(entity.Failed),
                N(entity.Mapped));
        }

        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Entity Points: estimated {report.Points.Estimated:0.##}, charged {report.Points.Charged:0.##}, limit {(report.Points.Limit is { } limit ? limit.ToString("0.##", CultureInfo.InvariantCulture) : "none")}. {report.RecordsPerSecond:0} records/s over {report.Duration:hh\\:mm\\:ss}."));
        foreach (RecordIssue failure in report.Failures.Take(10))
        {
            AnsiConsole.WriteLine($"  failed {failure.EntityType.ToCamelCase()} {failure.SourceId} ({failure.Category}): {failure.Message}");
        }

        if (report.Failures.Count > 10)
        {
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  … and {report.Failures.Count - 10} more failures (see --report FILE)."));
        }

        if (report.Message is { } message)
        {
            AnsiConsole.WriteLine(message);
        }
    }

    /// <summary>Writes the report JSON with the documented shape: runId, project, mode, status, entities, points, failures, warnings, warningCounts.</summary>
    public static async Task WriteJsonAsync(MigrationReport report, string path, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (directory is not null && !Directory.Exists(directory))
        {
            throw CliException.Configuration($"--report: the directory {directory} does not exist.");
        }

        await File.WriteAllBytesAsync(full, ToJson(report), cancellationToken);
    }

    public static byte[] ToJson(MigrationReport report)
    {
        using MemoryStream stream = new();
        using (Utf8JsonWriter json = new(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("runId", report.RunId);
            json.WriteString("project", report.ProjectId);
            json.WriteString("mode", report.Mode.ToString());
            json.WriteString("status", report.Status.ToString());
            json.WriteStartObject("entities");
            foreach (EntityType type in EntityTypes.All)
            {
                EntityReport? entity = report.Entities.FirstOrDefault(e => e.Type == type);
                json.WriteStartObject(type.ToCamelCase());
                json.WriteNumber("total", entity?.Total ?? 0);
                json.WriteNumber("migrated", entity?.Migrated ?? 0);
                json.WriteNumber("updated", entity?.Updated ?? 0);
                json.WriteNumber("skipped", entity?.Skipped ?? 0);
                json.WriteNumber("failed", entity?.Failed ?? 0);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartObject("points");
            json.WriteNumber("estimated", report.Points.Estimated);
            json.WriteNumber("charged", report.Points.Charged);
            if (report.Points.Limit is { } limit)
            {
                json.WriteNumber("limit", limit);
            }
            else
            {
                json.WriteNull("limit");
            }

            json.WriteEndObject();
            WriteIssues(json, "failures", report.Failures);
            WriteIssues(json, "warnings", report.Warnings);
            json.WriteStartArray("warningCounts");
            foreach (WarningCount count in report.WarningCounts)
            {
                json.WriteStartObject();
                json.WriteString("entityType", count.Type.ToCamelCase());
                json.WriteString("category", count.Category.ToString());
                json.WriteNumber("count", count.Count);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteIssues(Utf8JsonWriter json, string name, IReadOnlyList<RecordIssue> issues)
    {
        json.WriteStartArray(name);
        foreach (RecordIssue issue in issues)
        {
            json.WriteStartObject();
            json.WriteString("entityType", issue.EntityType.ToCamelCase());
            json.WriteString("sourceId", issue.SourceId);
            json.WriteString("category", issue.Category.ToString());
            json.WriteString("message", issue.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Escape(string text) => new StringBuilder(Markup.Escape(text)).ToString();
}
