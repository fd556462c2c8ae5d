import { Button, type ButtonProps } from '@mantine/core';
import { type ComponentPropsWithoutRef, useRef } from 'react';
import classes from './FnButton.module.css';
import { useFnKey } from './FnKeys';
import type { FnKey } from './registry';

export type FnButtonProps = ButtonProps &
  Omit<ComponentPropsWithoutRef<'button'>, keyof ButtonProps> & {
    fkey: FnKey;
    testid: string;
  };

/**
 * A button bound to a function key: pressing the key is the same as clicking it (so a
 * submit button validates and submits its form). Its label reads "F1 登録".
 */
export function FnButton({ fkey, testid, children, ...props }: FnButtonProps) {
  const ref = useRef<HTMLButtonElement>(null);
  const enabled = !props.disabled && !props.loading;
  useFnKey(fkey, () => ref.current?.click(), enabled);
  return (
    <Button ref={ref} size="xs" data-testid={testid} aria-keyshortcuts={fkey} {...props}>
      <span className={classes.key} data-button-variant={props.variant ?? 'filled'}>
        {fkey}
      </span>{' '}
      {children}
    </Button>
  );
}
