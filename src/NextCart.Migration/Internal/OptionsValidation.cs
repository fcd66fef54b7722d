using NextCart.Migration.Connectors;
using NextCart.Migration.Model;

namespace NextCart.Migration.Internal;

/// <summary>Validates a run's options and reports every problem together, each quoting the offending value.</summary>
internal static class OptionsValidation
{
    public static List<string> Validate(MigrationOptions options)
    {
        List<string> errors = [];
        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"Mode '{options.Mode}' is not a migration mode.");
        }

        if (options.DemoSize is < 1 or > 10_000)
        {
            errors.Add($"DemoSize is {options.DemoSize}; it must be between 1 and 10000.");
        }

        foreach (EntityType type in options.Entities.Where(t => !Enum.IsDefined(t)))
        {
            errors.Add($"Entities contains '{type}', which is not an entity type.");
        }

        if (options.CreatedFrom is { } from && options.CreatedTo is { } to && from >= to)
        {
            errors.Add($"CreatedFrom ({from:O}) must be before CreatedTo ({to:O}).");
        }

        if (options.ErrorBudget is < 0)
        {
            errors.Add($"ErrorBudget is {options.ErrorBudget}; it must not be negative.");
        }

        if (options.PlanLimit is < 0)
        {
            errors.Add($"PlanLimit is {options.PlanLimit}; it must not be negative.");
        }

        if (options.MaxBatchSize is < 1)
        {
            errors.Add($"MaxBatchSize is {options.MaxBatchSize}; it must be at least 1.");
        }

        if (options.MaxConcurrency is < 1)
        {
            errors.Add($"MaxConcurrency is {options.MaxConcurrency}; it must be at least 1.");
        }

        IReadOnlyList<EntityType> selected = options.GetSelectedTypes();
        foreach (EntityType type in options.ClearTargetTypes.Where(t => !selected.Contains(t)))
        {
            errors.Add($"ClearTargetTypes contains '{type.ToCamelCase()}', which is not selected for migration; clearing is allowed only for migrated types.");
        }

        foreach ((string raw, string mapped) in options.OrderStatusMap.Where(p => !OrderStatuses.IsCanonical(p.Value)))
        {
            errors.Add($"OrderStatusMap maps '{raw}' to '{mapped}', which is not a canonical order status ({string.Join(", ", OrderStatuses.All)}).");
        }

        if (options.DefaultOrderStatus is { } defaultStatus && !OrderStatuses.IsCanonical(defaultStatus))
        {
            errors.Add($"DefaultOrderStatus '{defaultStatus}' is not a canonical order status ({string.Join(", ", OrderStatuses.All)}).");
        }

        foreach ((string raw, string mapped) in options.CustomerGroupMap.Where(p => !CustomerGroups.IsCanonical(p.Value)))
        {
            errors.Add($"CustomerGroupMap maps '{raw}' to '{mapped}', which is not a canonical customer group ({string.Join(", ", CustomerGroups.All)}).");
        }

        if (options.DefaultCustomerGroup is { } defaultGroup && !CustomerGroups.IsCanonical(defaultGroup))
        {
            errors.Add($"DefaultCustomerGroup '{defaultGroup}' is not a canonical customer group ({string.Join(", ", CustomerGroups.All)}).");
        }

        return errors;
    }

    /// <summary>Checks the options against the project's connectors: clearing support and complete value maps.</summary>
    public static async Task<List<string>> ValidateAgainstConnectorsAsync(MigrationProject project, MigrationOptions options, CancellationToken cancellationToken)
    {
        List<string> errors = [];
        if (options.ClearTargetTypes.Count > 0 && project.Target is not ITargetClearer)
        {
            errors.Add($"ClearTargetTypes is set, but the target '{project.Target.ProviderId}' cannot clear data; remove the option or clear the target by hand.");
        }

        IReadOnlyList<EntityType> selected = options.GetSelectedTypes();
        if (project.Source is ISourceValueInspector inspector)
        {
            if (selected.Contains(EntityType.Orders))
            {
                IReadOnlyCollection<string> statuses = await inspector.GetDistinctValuesAsync(MappedField.OrderStatus, cancellationToken).ConfigureAwait(false);
                string[] unmapped = statuses.Where(s => RecordTransformer.MapValue(s, OrderStatuses.IsCanonical, options.OrderStatusMap, options.DefaultOrderStatus) is null).Order(StringComparer.Ordinal).ToArray();
                if (unmapped.Length > 0)
                {
                    errors.Add($"These source order statuses are not mapped: {string.Join(", ", unmapped.Select(s => $"'{s}'"))}. Add each to OrderStatusMap or set DefaultOrderStatus.");
                }
            }

            if (selected.Contains(EntityType.Customers))
            {
                IReadOnlyCollection<string> groups = await inspector.GetDistinctValuesAsync(MappedField.CustomerGroup, cancellationToken).ConfigureAwait(false);
                string[] unmapped = groups.Where(g => RecordTransformer.MapValue(g, CustomerGroups.IsCanonical, options.CustomerGroupMap, options.DefaultCustomerGroup) is null).Order(StringComparer.Ordinal).ToArray();
                if (unmapped.Length > 0)
                {
                    errors.Add($"These source customer groups are not mapped: {string.Join(", ", unmapped.Select(s => $"'{s}'"))}. Add each to CustomerGroupMap or set DefaultCustomerGroup.");
                }
            }
        }

        return errors;
    }
}
