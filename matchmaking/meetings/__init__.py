"""B2B meeting sessions at fairs: requests, scheduling, agendas."""
