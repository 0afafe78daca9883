namespace QuoteToCash.WebApp.Models;

/// <summary>A designed empty state: what is not there yet, and what to do about it.</summary>
public sealed record EmptyState(string Title, string WhatToDo);
