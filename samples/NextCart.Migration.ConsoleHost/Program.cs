// The nextcart-migrate command line arrives with the console-host work (issue 7).
Console.Error.WriteLine("nextcart-migrate: the console host is being built; see issue 7.");
return 1;
