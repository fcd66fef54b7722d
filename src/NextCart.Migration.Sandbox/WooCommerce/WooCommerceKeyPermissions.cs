namespace NextCart.Migration.Sandbox.WooCommerce;

/// <summary>The permission of a WooCommerce REST API key (WooCommerce &gt; Settings &gt; Advanced &gt; REST API).</summary>
public enum WooCommerceKeyPermissions
{
    /// <summary>GET and HEAD only; writes answer <c>401 woocommerce_rest_authentication_error</c>.</summary>
    Read = 0,

    /// <summary>POST, PUT, PATCH and DELETE only; reads answer <c>401 woocommerce_rest_authentication_error</c>.</summary>
    Write = 1,

    /// <summary>Everything.</summary>
    ReadWrite = 2,
}
