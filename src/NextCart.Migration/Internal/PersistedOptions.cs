using System.Text.Json;
using System.Text.Json.Serialization;
using NextCart.Migration.Estimation;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>The serializable form of <see cref="MigrationOptions"/> stored with a run, so a resume reuses them. It holds no secrets.</summary>
internal sealed class PersistedOptions
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() }, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public MigrationMode Mode { get; set; }

    public EntityType[] Entities { get; set; } = [];

    public int DemoSize { get; set; }

    public DateTimeOffset? CreatedFrom { get; set; }

    public DateTimeOffset? CreatedTo { get; set; }

    public string[] OrderStatusFilter { get; set; } = [];

    public EntityType[] ClearTargetTypes { get; set; } = [];

    public bool PreserveIds { get; set; }

    public bool CreateRedirects { get; set; }

    public bool StripHtml { get; set; }

    public Dictionary<string, string> OrderStatusMap { get; set; } = [];

    public string? DefaultOrderStatus { get; set; }

    public Dictionary<string, string> CustomerGroupMap { get; set; } = [];

    public string? DefaultCustomerGroup { get; set; }

    public ErrorMode ErrorMode { get; set; }

    public int? ErrorBudget { get; set; }

    public decimal? PlanLimit { get; set; }

    public LimitPolicy LimitPolicy { get; set; }

    public Dictionary<EntityType, decimal> Weights { get; set; } = [];

    public int? MaxBatchSize { get; set; }

    public int? MaxConcurrency { get; set; }

    public static string Serialize(MigrationOptions options)
    {
        PersistedOptions persisted = new()
        {
            Mode = options.Mode,
            Entities = [.. options.Entities.Order()],
            DemoSize = options.DemoSize,
            CreatedFrom = options.CreatedFrom,
            CreatedTo = options.CreatedTo,
            OrderStatusFilter = [.. options.OrderStatusFilter.Order(StringComparer.Ordinal)],
            ClearTargetTypes = [.. options.ClearTargetTypes.Order()],
            PreserveIds = options.PreserveIds,
            CreateRedirects = options.CreateRedirects,
            StripHtml = options.StripHtml,
            OrderStatusMap = new Dictionary<string, string>(options.OrderStatusMap, StringComparer.Ordinal),
            DefaultOrderStatus = options.DefaultOrderStatus,
            CustomerGroupMap = new Dictionary<string, string>(options.CustomerGroupMap, StringComparer.Ordinal),
            DefaultCustomerGroup = options.DefaultCustomerGroup,
            ErrorMode = options.ErrorMode,
            ErrorBudget = options.ErrorBudget,
            PlanLimit = options.PlanLimit,
            LimitPolicy = options.LimitPolicy,
            Weights = EntityTypes.All.Where(t => options.PointSchedule.GetWeight(t) != 0).ToDictionary(t => t, options.PointSchedule.GetWeight),
            MaxBatchSize = options.MaxBatchSize,
            MaxConcurrency = options.MaxConcurrency,
        };
        return JsonSerializer.Serialize(persisted, Json);
    }

    public static MigrationOptions Deserialize(string json)
    {
        PersistedOptions p = JsonSerializer.Deserialize<PersistedOptions>(json, Json) ?? throw new MigrationException("The run's stored options are empty.", FailureCategory.Configuration, false);
        return new MigrationOptions
        {
            Mode = p.Mode,
            Entities = new HashSet<EntityType>(p.Entities),
            DemoSize = p.DemoSize,
            CreatedFrom = p.CreatedFrom,
            CreatedTo = p.CreatedTo,
            OrderStatusFilter = new HashSet<string>(p.OrderStatusFilter, StringComparer.Ordinal),
            ClearTargetTypes = new HashSet<EntityType>(p.ClearTargetTypes),
            PreserveIds = p.PreserveIds,
            CreateRedirects = p.CreateRedirects,
            StripHtml = p.StripHtml,
            OrderStatusMap = new Dictionary<string, string>(p.OrderStatusMap, StringComparer.Ordinal),
            DefaultOrderStatus = p.DefaultOrderStatus,
            CustomerGroupMap = new Dictionary<string, string>(p.CustomerGroupMap, StringComparer.Ordinal),
            DefaultCustomerGroup = p.DefaultCustomerGroup,
            ErrorMode = p.ErrorMode,
            ErrorBudget = p.ErrorBudget,
            PlanLimit = p.PlanLimit,
            LimitPolicy = p.LimitPolicy,
            PointSchedule = PointSchedule.Create(p.Weights),
            MaxBatchSize = p.MaxBatchSize,
            MaxConcurrency = p.MaxConcurrency,
        };
    }
}
